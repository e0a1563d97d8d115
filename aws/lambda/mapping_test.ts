/**
 * The mapping's delivery rules against a real kinesis-mock, with a scripted
 * function in place of the bundle (imported in-process, so the test talks to
 * it through `globalThis`): order per shard, partial failures, errors,
 * bounded retries, a clean stop and a resume.
 */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { type KinesisClient, PutRecordsCommand } from "@aws-sdk/client-kinesis";
import type { KinesisStreamEvent } from "aws-lambda";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { kinesisClient } from "../clients.ts";
import { startKinesisMock } from "../emulators/kinesis_mock.ts";
import type { Emulator } from "../emulators/process.ts";
import { createStream } from "../resources.ts";
import { untilCaughtUp } from "./checkpoints.ts";
import { localInvoker } from "./invoke.ts";
import { startMapping } from "./mapping.ts";
import type { RetryPolicy } from "./rules.ts";

type Script = (event: KinesisStreamEvent) => Promise<unknown>;
const shared = globalThis as { mappingTestScript?: Script };
const policy: RetryPolicy = { baseMs: 1, capMs: 5, batchSize: 100, maxRetries: 2 };

let kinesis: Emulator;
let dir = "";
let bundle = "";
let streams = 0;

test.before(async () => {
  kinesis = await startKinesisMock();
  dir = await mkdtemp(join(tmpdir(), "mapping-"));
  bundle = join(dir, "index.mjs");
  await writeFile(
    bundle,
    "export const handler = (event) => globalThis.mappingTestScript(event);\n",
  );
});
/**
 * What a test started, undone after it, pass or fail, last first: a mapping
 * left running would keep its shard readers retrying against the stopped
 * emulator, and the file would never end.
 */
const cleanups: (() => unknown)[] = [];
test.after.each(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});
test.after(async () => {
  await kinesis?.stop();
  await rm(dir, { recursive: true, force: true });
});

/** Puts records with the given texts and keys (fewer than 500: one call), failing on any refusal. */
async function put(client: KinesisClient, stream: string, texts: string[], key: string) {
  const Records = texts.map((text, i) => ({
    Data: new TextEncoder().encode(text),
    PartitionKey: `${key}${i}`,
  }));
  const { FailedRecordCount } = await client.send(
    new PutRecordsCommand({ StreamName: stream, Records }),
  );
  assert.is(FailedRecordCount ?? 0, 0);
}

/** A new stream with `records` records (data "0", "1", …), and a mapping on it running `script`. */
async function run(
  shards: number,
  records: number,
  script: Script,
  stateDir = join(dir, `s${streams}`),
) {
  const stream = `stream-${++streams}`;
  const client = kinesisClient(kinesis.endpoint);
  cleanups.push(() => client.destroy());
  await createStream(client, stream, shards);
  await put(
    client,
    stream,
    Array.from({ length: records }, (_, i) => String(i)),
    "k",
  );
  shared.mappingTestScript = script;
  const stop = new AbortController();
  const log: Record<string, unknown>[] = [];
  const mapping = await startMapping({
    kinesis: client,
    stream,
    region: "us-east-1",
    functionName: "f",
    invoke: localInvoker({ name: "f", region: "us-east-1", timeoutMs: 5_000, bundle }),
    stateDir,
    policy,
    pollMs: 20,
    signal: stop.signal,
    log: (fields) => log.push(fields),
  });
  const caughtUp = () => untilCaughtUp(client, stream, stateDir, 5_000);
  let finished: Promise<void> | undefined;
  /** Stops the mapping and waits for its last checkpoints; idempotent. */
  const finish = () => {
    finished ??= (async () => {
      stop.abort();
      await mapping.done;
      client.destroy();
    })();
    return finished;
  };
  cleanups.push(finish);
  return { stream, stateDir, client, mapping, log, caughtUp, finish };
}

const data = (event: KinesisStreamEvent) =>
  event.Records.map((r) => Buffer.from(r.kinesis.data, "base64").toString());

test("every record once, in shard order, in batches of at most 100", async () => {
  const seen: string[][] = [];
  const pipeline = await run(1, 250, async (event) => {
    seen.push(data(event));
  });
  await pipeline.caughtUp();
  await pipeline.finish();
  assert.equal(
    seen.flat(),
    Array.from({ length: 250 }, (_, i) => String(i)),
  );
  assert.ok(seen.every((batch) => batch.length <= 100));
});

test("a failed item: checkpoint before it, re-read from it", async () => {
  const seen: string[][] = [];
  let failed = false;
  const pipeline = await run(1, 30, async (event) => {
    seen.push(data(event));
    const item = event.Records[10];
    if (failed || item === undefined) return { batchItemFailures: [] };
    failed = true;
    return { batchItemFailures: [{ itemIdentifier: item.kinesis.sequenceNumber }] };
  });
  await pipeline.caughtUp();
  await pipeline.finish();
  assert.is(seen[0]?.[0], "0");
  assert.is(seen[1]?.[0], "10", "the replay starts at the failed record");
  assert.equal([...new Set(seen.flat())].length, 30);
  assert.ok(pipeline.log.some((line) => line.msg === "retrying batch"));
});

test("an error retries the whole batch, halved", async () => {
  const sizes: number[] = [];
  const pipeline = await run(1, 40, async (event) => {
    sizes.push(event.Records.length);
    if (sizes.length === 1) throw new Error("cold start failed");
  });
  await pipeline.caughtUp();
  await pipeline.finish();
  assert.equal(sizes.slice(0, 2), [40, 20]);
});

test("a batch that keeps failing is skipped after the retries, and reported", async () => {
  const pipeline = await run(1, 5, async (event) => ({
    batchItemFailures: [{ itemIdentifier: event.Records[0]?.kinesis.sequenceNumber }],
  }));
  await pipeline.caughtUp();
  await pipeline.finish();
  const [line] = (
    await readFile(join(pipeline.stateDir, "failed", `${pipeline.stream}.jsonl`), "utf8")
  )
    .trim()
    .split("\n")
    .map((text) => JSON.parse(text));
  assert.is(line.retryAttempts, 2);
  assert.is(line.KinesisBatchInfo.batchSize, 5);
  assert.match(line.KinesisBatchInfo.streamArn, `:stream/${pipeline.stream}`);
});

test("a stopped mapping saved its place; the next one reads only what came after", async () => {
  const seen: string[] = [];
  const first = await run(2, 60, async (event) => {
    seen.push(...data(event));
  });
  await first.caughtUp();
  await first.finish();
  const more = Array.from({ length: 10 }, (_, i) => `more${i}`);
  const client = kinesisClient(kinesis.endpoint);
  cleanups.push(() => client.destroy());
  await put(client, first.stream, more, "m");
  const again: string[] = [];
  shared.mappingTestScript = async (event) => {
    again.push(...data(event));
  };
  const stop = new AbortController();
  const mapping = await startMapping({
    kinesis: client,
    stream: first.stream,
    region: "us-east-1",
    functionName: "f",
    invoke: localInvoker({ name: "f", region: "us-east-1", timeoutMs: 5_000, bundle }),
    stateDir: first.stateDir,
    policy,
    pollMs: 20,
    signal: stop.signal,
    log: () => {},
  });
  cleanups.push(() => {
    stop.abort();
    return mapping.done;
  });
  for (let tries = 0; again.length < 10 && tries < 200; tries++) await sleep(25);
  stop.abort();
  await mapping.done;
  client.destroy();
  assert.is(seen.length, 60);
  assert.equal(again.sort(), more.map((_, i) => `more${i}`).sort());
});

test.run();
