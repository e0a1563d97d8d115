/**
 * `make status` end to end against dynalite: the table as text and as JSON,
 * and the one-line failures.
 */
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { dynamoClient } from "../aws/clients.ts";
import { startDynalite } from "../aws/emulators/dynalite.ts";
import { freePort } from "../aws/emulators/ports.ts";
import type { Emulator } from "../aws/emulators/process.ts";
import { NAMES } from "../aws/names.ts";
import { createTable } from "../aws/resources.ts";
import { seedTable } from "../aws/table.ts";
import { CHAPTER_ITEMS } from "../core/testing/fixtures.ts";
import { writeStack } from "./stack.ts";
import { cliEnv, runCli } from "./testing.ts";
import { renderTrucks, statusRecords } from "./trucks.ts";

const STATUS = fileURLToPath(new URL("./status.ts", import.meta.url));

let dynalite: Emulator;
let env: NodeJS.ProcessEnv;

test.before(async () => {
  dynalite = await startDynalite();
  const client = dynamoClient(dynalite.endpoint);
  try {
    await seedTable(client, "oops-trucks", CHAPTER_ITEMS);
    await createTable(client, "empty-trucks");
  } finally {
    client.destroy();
  }
  env = cliEnv({ AWS_ENDPOINT_URL_DYNAMODB: dynalite.endpoint });
});
test.after(async () => {
  await dynalite?.stop();
});

test("prints where it reads and the table of trucks", async () => {
  const run = await runCli(STATUS, [], env);
  assert.is(run.code, 0, run.stderr);
  assert.is(
    run.stdout,
    `Table oops-trucks at ${dynalite.endpoint} (from the environment)\n\n${renderTrucks(CHAPTER_ITEMS)}\n`,
  );
  assert.match(
    run.stdout,
    /1HGCM82633A004352 +51\.5208046 +-0\.1592323 +2018-08-02 21:50:49 +12453 +35\n/,
  );
});

test("--json prints the rows for scripts, and nothing else", async () => {
  const run = await runCli(STATUS, ["--json"], env);
  assert.is(run.code, 0, run.stderr);
  const rows = JSON.parse(run.stdout);
  assert.equal(rows, statusRecords(CHAPTER_ITEMS));
  assert.equal(
    rows.map((r: Record<string, unknown>) => r["miles-since-oil-change"]),
    [78, 35, 167],
  );
});

test("an empty table says how to fill it", async () => {
  const run = await runCli(STATUS, ["--table", "empty-trucks"], env);
  assert.is(run.code, 0, run.stderr);
  assert.match(run.stdout, /No trucks yet: write some events with `make generate`\.\n$/);
});

test("a missing table is one line saying what to start, deploy or pass; exit 1", async () => {
  const run = await runCli(STATUS, [], { ...env, TABLE_NAME: "nope" });
  assert.is(run.code, 1);
  assert.is(
    run.stderr,
    `status: table nope not found at ${dynalite.endpoint} (from the environment): start the ` +
      "local stack with `make local`, or deploy with `make deploy`, or pass --table\n",
  );
});

test("an endpoint nobody serves is one line naming it; exit 1", async () => {
  const endpoint = `http://127.0.0.1:${await freePort()}`;
  const run = await runCli(STATUS, [], { ...env, AWS_ENDPOINT_URL_DYNAMODB: endpoint });
  assert.is(run.code, 1);
  assert.match(
    run.stderr,
    new RegExp(`^status: cannot reach DynamoDB at ${endpoint} .*ECONNREFUSED`),
  );
  assert.is(run.stderr.trim().split("\n").length, 1, run.stderr);
});

test("a local stack's table comes with the function's last minutes, from its mapping's log", async () => {
  const state = await mkdtemp(join(tmpdir(), "oops-status-"));
  try {
    await writeStack(join(state, "stack.json"), {
      pid: process.pid,
      region: NAMES.region,
      kinesisEndpoint: "http://127.0.0.1:9",
      dynamodbEndpoint: dynalite.endpoint,
      s3Endpoint: "http://127.0.0.1:9",
      archiveBucket: "oops-events-archive-000000000000-us-east-1",
      stream: NAMES.stream,
      rejectsStream: NAMES.rejectsStream,
      table: "oops-trucks",
    });
    const now = Date.now();
    const started = JSON.stringify({
      msg: "mapping ready",
      at: new Date(now - 60_000).toISOString(),
    });
    const batch = (records: number, agoMs: number) =>
      JSON.stringify({
        msg: "batch",
        records,
        rejected: 1,
        writeRequests: records / 2,
        oldestEventAgeMs: 250,
        _aws: { Timestamp: now - agoMs },
      });
    const log = [started, batch(60, 30_000), batch(60, 10_000)].join("\n");
    await mkdir(join(state, "logs"));
    await writeFile(join(state, "logs", "mapping.log"), `${log}\n`);
    const run = await runCli(STATUS, [], cliEnv({ LOCAL_STATE_DIR: state }));
    assert.is(run.code, 0, run.stderr);
    // The window opened at the log's first line, a minute (and the CLI's start-up) ago.
    const figures = /\nFunction: last (6\d) s: (\d\.\d) events\/s · (.*)\n\n/.exec(run.stdout);
    assert.ok(figures, run.stdout);
    const [, seconds, perSecond, rest] = figures;
    // 120 events over the window (its seconds shown rounded).
    assert.ok(Math.abs(Number(perSecond) - 120 / Number(seconds)) <= 0.1, run.stdout);
    assert.is(rest, "2 rejected (1.7 %) · 0.50 writes/event · freshness median 250 ms, max 250 ms");
    assert.match(run.stdout, /^Table oops-trucks at .* \(local stack\)\n/);
  } finally {
    await rm(state, { recursive: true, force: true });
  }
});

test("a bad command line is named; exit 2", async () => {
  const run = await runCli(STATUS, ["--jsn"], env);
  assert.is(run.code, 2);
  assert.is(run.stderr, "status: unknown option --jsn\nRun with --help for the options.\n");
});

test.run();
