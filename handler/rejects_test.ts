import type {
  KinesisClient,
  PutRecordsCommand,
  PutRecordsRequestEntry,
} from "@aws-sdk/client-kinesis";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { kinesisClient } from "../aws/clients.ts";
import { startKinesisMock } from "../aws/emulators/kinesis_mock.ts";
import type { Emulator } from "../aws/emulators/process.ts";
import { type Payload, recordsOf, streamArn, TEST_SOURCE } from "../aws/lambda/event.ts";
import { createStream } from "../aws/resources.ts";
import { readStream } from "../aws/stream.ts";
import type { Log } from "./log.ts";
import { type Reject, readBatch } from "./records.ts";
import { type Envelope, envelope, forwardRejects } from "./rejects.ts";

const STREAM = "oops-events-rejected";
let emulator: Emulator;
let kinesis: KinesisClient;

test.before(async () => {
  emulator = await startKinesisMock();
  kinesis = kinesisClient(emulator.endpoint);
  await createStream(kinesis, STREAM);
});

test.after(async () => {
  kinesis?.destroy();
  await emulator?.stop();
});

const rejectsOf = (payloads: Payload[]): Reject[] => [...readBatch(recordsOf(payloads)).rejects];

/** A log that keeps its lines. */
function recorder(): Log & { lines: object[] } {
  const lines: object[] = [];
  return { lines, info: (f) => lines.push(f), error: (f) => lines.push(f) };
}

/** A Kinesis client that answers PutRecords from a script of per-entry outcomes. */
function scripted(outcome: (call: number, entry: number) => "ok" | "throttled" | Error) {
  const calls: number[] = [];
  const sent: PutRecordsRequestEntry[] = [];
  const client = {
    send: async (command: PutRecordsCommand) => {
      const call = calls.push(command.input.Records?.length ?? 0) - 1;
      sent.push(...(command.input.Records ?? []));
      const records = (command.input.Records ?? []).map((_, i) => {
        const o = outcome(call, i);
        if (o instanceof Error) throw o;
        return o === "ok"
          ? { SequenceNumber: `${call}${i}`, ShardId: TEST_SOURCE.shardId }
          : { ErrorCode: "ProvisionedThroughputExceededException", ErrorMessage: "slow down" };
      });
      return { FailedRecordCount: records.filter((r) => r.ErrorCode).length, Records: records };
    },
  } as unknown as KinesisClient;
  return { client, calls, sent };
}

test("the envelope carries the original bytes, the reason, its group and the record's origin", () => {
  const [reject] = rejectsOf(['{"event":"TRUCK_ARRIVES"}']);
  const e = envelope(reject as Reject);
  const record = reject?.record.kinesis;
  assert.equal(e, {
    data: Buffer.from('{"event":"TRUCK_ARRIVES"}').toString("base64"),
    reason: e.reason,
    path: "timestamp",
    group: "invalid-field",
    sequenceNumber: record?.sequenceNumber,
    shardId: TEST_SOURCE.shardId,
    partitionKey: record?.partitionKey,
    approximateArrivalTimestamp: "2018-01-12T12:42:00.123Z",
    eventSourceARN: streamArn(TEST_SOURCE.region, TEST_SOURCE.stream),
  });
  assert.match(e.reason, /^timestamp: expected an ISO-8601 date-time/);
});

test("without a rejects stream, each reject is logged in full at error level", async () => {
  const rejects = rejectsOf(["nope", "[]"]);
  const log = recorder();
  assert.equal(await forwardRejects(rejects, { log }), []);
  assert.equal(
    log.lines,
    rejects.map((r) => ({ msg: "rejected record", ...envelope(r) })),
  );
});

test("rejects land on the rejects stream, readable from TRIM_HORIZON", async () => {
  const rejects = rejectsOf(["nope", '{"event":"TRUCK_SKIDS"}', new Uint8Array([0xc3, 0x28])]);
  const log = recorder();
  const undelivered = await forwardRejects(rejects, { kinesis, streamName: STREAM, log });
  assert.equal(undelivered, []);
  const onStream = (await readStream(kinesis, STREAM)).map(
    (record) => JSON.parse(record.text) as Envelope,
  );
  for (const reject of rejects) {
    const found = onStream.find((e) => e.sequenceNumber === reject.record.kinesis.sequenceNumber);
    assert.equal(found, envelope(reject));
  }
  assert.equal(log.lines, []);
});

test("a reject too big for one Kinesis record is cut, still valid base64, and marked", async () => {
  const huge = "x".repeat(1024 * 1024 - 10);
  const rejects = rejectsOf([huge]);
  const { client, sent } = scripted(() => "ok");
  assert.equal(
    await forwardRejects(rejects, { kinesis: client, streamName: STREAM, log: recorder() }),
    [],
  );
  const [entry] = sent;
  const data = entry?.Data ?? new Uint8Array();
  assert.ok(data.byteLength + (entry?.PartitionKey?.length ?? 0) <= 1024 * 1024);
  const e = JSON.parse(Buffer.from(data).toString("utf8")) as Envelope;
  assert.equal(
    { ...e, data: "" },
    { ...envelope(rejects[0] as Reject), data: "", truncated: true },
  );
  assert.is(e.data.length % 4, 0);
  assert.ok(e.data.length > 1000 * 1000);
  assert.ok(huge.startsWith(Buffer.from(e.data, "base64").toString("utf8")));
});

test("entries that keep failing are handed back after a bounded number of tries", async () => {
  const { client, calls } = scripted((_, entry) => (entry === 0 ? "throttled" : "ok"));
  const rejects = rejectsOf(["a", "b", "c"]);
  const log = recorder();
  const undelivered = await forwardRejects(rejects, { kinesis: client, streamName: STREAM, log });
  assert.equal(undelivered, rejects.slice(0, 1));
  assert.equal(calls, [3, 1, 1, 1]);
  assert.equal(log.lines, [
    {
      msg: "rejects not delivered",
      stream: STREAM,
      count: 1,
      errorCodes: ["ProvisionedThroughputExceededException"],
    },
  ]);
});

test("a call that fails outright hands back its whole chunk", async () => {
  const { client } = scripted(() => new Error("socket hang up"));
  const rejects = rejectsOf(["a", "b"]);
  const log = recorder();
  assert.equal(
    await forwardRejects(rejects, { kinesis: client, streamName: STREAM, log }),
    rejects,
  );
  assert.equal(log.lines, [
    { msg: "rejects not delivered", stream: STREAM, count: 2, error: "Error: socket hang up" },
  ]);
});

test.run();
