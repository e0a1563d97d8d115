/**
 * `make rejects` end to end against kinesis-mock: the handler's envelopes
 * on a rejects stream, read back as counts by reason and by the metrics'
 * groups, as text and as JSON, and the one-line failure.
 */
import { fileURLToPath } from "node:url";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { kinesisClient } from "../../aws/clients.ts";
import { startKinesisMock } from "../../aws/emulators/kinesis_mock.ts";
import type { Emulator } from "../../aws/emulators/process.ts";
import { recordsOf } from "../../aws/lambda/event.ts";
import { createStream } from "../../aws/resources.ts";
import { putRecords } from "../../handler/put_records.ts";
import { readBatch } from "../../handler/records.ts";
import { envelope } from "../../handler/rejects.ts";
import { cliEnv, runCli } from "../testing.ts";

const MAIN = fileURLToPath(new URL("./main.ts", import.meta.url));
const STREAM = "rejects-test";

const oil = (mileage: string) =>
  `{"event":"MECHANIC_CHANGES_OIL","timestamp":"2018-01-12T12:00:00Z","employee":{"id":"6f5a1a7e-0f47-4b5b-9d3b-2d3a5b1c9e10","jobRole":"JNR_MECHANIC"},"vehicle":{"vin":"1HGCM82633A004352","mileage":${mileage}}}`;

/** Three records of one invalid field, one that is not JSON, one unknown event, and a stranger's record. */
const PAYLOADS = [oil("-1"), "nope", oil("-2"), '{"event":"TRUCK_FLIES"}', oil("-3")];

let kinesis: Emulator;
let env: NodeJS.ProcessEnv;

test.before(async () => {
  kinesis = await startKinesisMock();
  const client = kinesisClient(kinesis.endpoint);
  try {
    await createStream(client, STREAM);
    const envelopes = readBatch(recordsOf(PAYLOADS)).rejects.map(envelope);
    const texts = [...envelopes.map((e) => JSON.stringify(e)), "not the handler's"];
    const entries = texts.map((text, i) => ({
      data: new TextEncoder().encode(text),
      partitionKey: String(i),
    }));
    const put = await putRecords(client, STREAM, entries);
    assert.is(put.undelivered.length, 0, put.firstError);
  } finally {
    client.destroy();
  }
  env = cliEnv({ AWS_ENDPOINT_URL_KINESIS: kinesis.endpoint, AWS_REGION: "us-east-1" });
});

test.after(async () => {
  await kinesis?.stop();
});

test("counts by reason, most frequent first, each with its group and examples", async () => {
  const run = await runCli(MAIN, ["--rejects-stream", STREAM, "--examples", "2"], env);
  assert.is(run.code, 0, run.stderr);
  const lines = run.stdout.trim().split("\n");
  assert.is(
    lines[0],
    `6 records on ${STREAM} at ${kinesis.endpoint} (from the environment) (1 not the handler's envelopes)`,
  );
  assert.is(
    lines[1],
    "by group (as the metrics count them): 3 invalid-field, 1 malformed, 1 unknown-event",
  );
  const reasons = lines.filter((line) => / × /.test(line));
  assert.equal(reasons, [
    "3 × vehicle.mileage: expected a non-negative integer [invalid-field]",
    "1 × event: expected one of TRUCK_ARRIVES, TRUCK_DEPARTS, MECHANIC_CHANGES_OIL, DRIVER_DELIVERS_PACKAGE, DRIVER_MISSES_CUSTOMER [unknown-event]",
    "1 × record: expected one JSON document [malformed]",
  ]);
  const examples = lines.filter((line) => line.startsWith("  shardId-"));
  assert.is(examples.length, 2 + 1 + 1, "at most --examples 2 per reason");
  assert.match(
    examples[0] ?? "",
    /^ {2}shardId-000000000000 \d+ \(arrived .+\): \{"event":"MECHANIC/,
  );
});

test("--json gives the same counts for scripts", async () => {
  const run = await runCli(MAIN, ["--rejects-stream", STREAM, "--json"], env);
  assert.is(run.code, 0, run.stderr);
  const report = JSON.parse(run.stdout);
  assert.equal(report.byGroup, { "invalid-field": 3, malformed: 1, "unknown-event": 1 });
  assert.equal(
    report.reasons.map((r: { count: number; group: string }) => [r.count, r.group]),
    [
      [3, "invalid-field"],
      [1, "unknown-event"],
      [1, "malformed"],
    ],
  );
  assert.equal([report.total, report.foreign], [6, 1]);
});

test("a missing stream is one line saying what to pass; exit 1", async () => {
  const run = await runCli(MAIN, ["--rejects-stream", "no-such-stream"], env);
  assert.is(run.code, 1);
  assert.is(run.stdout, "");
  const lines = run.stderr.trim().split("\n");
  assert.is(lines.length, 1, run.stderr);
  assert.match(lines[0] ?? "", /^rejects: .*no-such-stream.*--rejects-stream/);
});

test.run();
