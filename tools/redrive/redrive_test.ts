/**
 * `make redrive` on the local stack's parts: the mapping (its own process,
 * one retry per batch) writes through a fault proxy that fails every write
 * for a while, so batches are given up on and land in the local DLQ; the
 * archiver keeps every record meanwhile. After the redrive the table is the
 * oracle's table of every event put, and nothing is left to redrive.
 */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { type Emulators, startEmulators } from "../../aws/emulators/emulators.ts";
import { type FaultProxy, startFaultProxy } from "../../aws/emulators/fault_proxy.ts";
import { startArchiver } from "../../aws/firehose.ts";
import { untilCaughtUp } from "../../aws/lambda/checkpoints.ts";
import { deadLetterPath } from "../../aws/lambda/mapping.ts";
import { NAMES } from "../../aws/names.ts";
import { createResources } from "../../aws/resources.ts";
import { readTable } from "../../aws/table.ts";
import { expectedTable } from "../../core/testing/oracle.ts";
import { putEvents } from "../generate/put.ts";
import { events } from "../generate/world.ts";
import type { Child } from "../local/child.ts";
import { startMappingProcess } from "../local/mapping_process.ts";
import { writeStack } from "../stack.ts";
import { cliEnv, runCli } from "../testing.ts";

const REDRIVE = fileURLToPath(new URL("./main.ts", import.meta.url));
const BUCKET = "oops-events-archive-000000000000-us-east-1";

let stateDir = "";
let emulators: Emulators;
let proxy: FaultProxy;
let mapping: Child | undefined;
const stopArchiver = new AbortController();
let archiver: Promise<unknown> = Promise.resolve();

test.before(async () => {
  stateDir = await mkdtemp(join(tmpdir(), "oops-redrive-"));
  emulators = await startEmulators({ s3Port: 0 });
  const s3 = emulators.s3Client as NonNullable<Emulators["s3Client"]>;
  const { kinesisClient: kinesis, dynamoClient: dynamo } = emulators;
  await createResources({ kinesis, dynamo, archive: { s3, bucket: BUCKET } });
  proxy = await startFaultProxy(emulators.dynalite.endpoint);
  const archive = await startArchiver({
    kinesis,
    s3,
    stream: NAMES.stream,
    bucket: BUCKET,
    deliveryStream: NAMES.deliveryStream,
    region: NAMES.region,
    stateDir: join(stateDir, "archiver"),
    bufferBytes: 1024 * 1024,
    bufferMs: 200,
    signal: stopArchiver.signal,
    log: () => {},
  });
  archiver = archive.done;
  // The stack file makes the CLI find this stack, as it finds a running `make local`.
  await writeStack(join(stateDir, "stack.json"), {
    pid: process.pid,
    region: NAMES.region,
    kinesisEndpoint: emulators.kinesis.endpoint,
    dynamodbEndpoint: emulators.dynalite.endpoint,
    s3Endpoint: emulators.s3rver?.endpoint as string,
    archiveBucket: BUCKET,
    stream: NAMES.stream,
    rejectsStream: NAMES.rejectsStream,
    table: NAMES.table,
  });
});

test.after(async () => {
  await mapping?.stop();
  stopArchiver.abort();
  await archiver;
  await proxy?.stop();
  await emulators?.stop();
  await rm(stateDir, { recursive: true, force: true });
});

test("batches given up on while the table failed reach it after make redrive; then none are left", async () => {
  mapping = await startMappingProcess({
    kinesisEndpoint: emulators.kinesis.endpoint,
    dynamodbEndpoint: proxy.endpoint,
    stateDir,
    maxRetries: 1,
  });
  const world = [...events({ seed: 9, count: 400 })];
  const { kinesisClient: kinesis, dynamoClient: dynamo } = emulators;
  await putEvents(kinesis, NAMES.stream, world.slice(0, 100));
  await untilCaughtUp(kinesis, NAMES.stream, stateDir, 30_000);
  // The table fails every write: the newest events' batches are given up on.
  proxy.decide = (seen) => (seen.operation === "UpdateItem" ? "internal" : undefined);
  await putEvents(kinesis, NAMES.stream, world.slice(100));
  await untilCaughtUp(kinesis, NAMES.stream, stateDir, 30_000);
  proxy.decide = () => undefined;
  const dead = (await readFile(deadLetterPath(stateDir, NAMES.stream), "utf8")).trim().split("\n");
  assert.ok(dead.length >= 2, "both shards gave batches up");
  assert.equal(await readTable(dynamo, NAMES.table), expectedTable(world.slice(0, 100)));
  await sleep(500); // the archiver's buffer

  const run = await runCli(REDRIVE, [], cliEnv({ LOCAL_STATE_DIR: stateDir }));
  assert.is(run.code, 0, run.stdout + run.stderr);
  assert.match(run.stdout, new RegExp(`${dead.length} batches given up on, in 2 shards`));
  assert.equal(await readTable(dynamo, NAMES.table), expectedTable(world));
  const again = await runCli(REDRIVE, ["--state-dir", stateDir], cliEnv({}));
  assert.match(again.stdout, /nothing to redrive: the DLQ is empty/);
});

test.run();
