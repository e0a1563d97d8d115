/**
 * The chapter's test (section 11.4), automated through the whole local
 * pipeline: generator events → PutRecords → kinesis-mock → the mapping
 * process → the handler bundle → dynalite. The tests run in order on one
 * stack, each phase starting from the table the previous one left:
 *
 * 1. forward: the table equals the oracle of the forward events (snapshot);
 * 2. backwards, forward stopped: ever-older events change nothing;
 * 3. both at once, each continuing where it stopped: the table equals the
 *    oracle of everything, rows never move back, and every row moved on
 *    past the snapshot through forward events only;
 * 4. the mapping SIGKILLed mid-stream and restarted: nothing is lost.
 *
 * Events are put as fast as PutRecords takes them, and every wait is bounded.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { type Emulators, startEmulators } from "../../aws/emulators/emulators.ts";
import { caughtUp, savedPositions, untilCaughtUp } from "../../aws/lambda/checkpoints.ts";
import { NAMES } from "../../aws/names.ts";
import { createResources } from "../../aws/resources.ts";
import { readTable } from "../../aws/table.ts";
import type { Item, OopsEvent } from "../../core/mod.ts";
import { decodedAll, expectedTable } from "../../core/testing/oracle.ts";
import type { PutOptions } from "../../handler/put_records.ts";
import { putEvents } from "../generate/put.ts";
import { events } from "../generate/world.ts";
import type { Child } from "./child.ts";
import { type MappingTarget, startMappingProcess } from "./mapping_process.ts";

const FORWARD = 11;
const BACKWARDS = 12;
const RUN = 300;
const WAIT_MS = 20_000;
const { stream, table } = NAMES;

const forward = (from: number, to: number) => [...events({ seed: FORWARD, count: to })].slice(from);
const backwards = (from: number, to: number) =>
  [...events({ seed: BACKWARDS, direction: "backwards", count: to })].slice(from);

let emulators: Emulators;
let mapping: Child | undefined;
let target: MappingTarget;
let stateDir = "";
let snapshot: Item[] = [];
const sent: OopsEvent[] = [];

const put = async (batch: OopsEvent[], options: PutOptions = {}) => {
  await putEvents(emulators.kinesisClient, stream, batch, options);
  sent.push(...batch);
};

/**
 * Polls the table until it equals `expected`; on timeout fails with uvu's
 * diff of the last read. `check` sees every intermediate read (e.g. to assert
 * that rows never move backwards).
 */
async function converge(
  expected: readonly Item[],
  timeoutMs: number,
  check?: (rows: Item[]) => void,
) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const rows = await readTable(emulators.dynamoClient, table);
    check?.(rows);
    if (JSON.stringify(rows) === JSON.stringify(expected)) return rows;
    if (Date.now() > deadline)
      assert.equal(rows, expected, `no convergence within ${timeoutMs} ms`);
    await sleep(50);
  }
}

test.before(async () => {
  stateDir = await mkdtemp(join(tmpdir(), "oops-chapter-"));
  emulators = await startEmulators();
  await createResources({ kinesis: emulators.kinesisClient, dynamo: emulators.dynamoClient });
  target = {
    kinesisEndpoint: emulators.kinesis.endpoint,
    dynamodbEndpoint: emulators.dynalite.endpoint,
    stateDir,
    progressMs: 100,
  };
  mapping = await startMappingProcess(target);
});

test.after(async () => {
  await mapping?.stop();
  await emulators?.stop();
  await rm(stateDir, { recursive: true, force: true });
});

test("forward: the table is the oracle's, and every truck has had an oil change", async () => {
  await put(forward(0, RUN));
  snapshot = await converge(expectedTable(sent), WAIT_MS);
  assert.is(snapshot.length, 3, "the chapter's three trucks");
  for (const row of snapshot) {
    // Otherwise a backwards oil change would rightly fill in the gap, and
    // "unchanged" would not be the chapter's claim to test.
    assert.ok(row["mileage-at-oil-change"] !== undefined, `${row.vin} had an oil change`);
    assert.ok(row["location-timestamp"] !== undefined, `${row.vin} has a location`);
  }
});

test("backwards while forward is stopped: older events change nothing", async () => {
  await put(backwards(0, RUN));
  await untilCaughtUp(emulators.kinesisClient, stream, stateDir, WAIT_MS);
  assert.equal(await converge(snapshot, 0), snapshot);
  assert.equal(snapshot, expectedTable(sent), "and that is what the oracle says too");
});

test("both at once: rows advance again, through forward events only", async () => {
  const ahead = forward(RUN, 2 * RUN);
  const behind = backwards(RUN, 2 * RUN);
  const before = new Map(snapshot.map((row) => [row.vin, row]));
  const neverBack = (rows: Item[]) => {
    for (const row of rows) {
      const old = before.get(String(row.vin));
      assert.ok(String(row["location-timestamp"]) >= String(old?.["location-timestamp"]));
      assert.ok(Number(row.mileage) >= Number(old?.mileage));
    }
  };
  let putting = true;
  const puts = Promise.all(
    [ahead, behind].map(async (list) => {
      for (let i = 0; i < list.length; i += 25) await put(list.slice(i, i + 25));
    }),
  ).finally(() => {
    putting = false;
  });
  while (putting) {
    neverBack(await readTable(emulators.dynamoClient, table));
    await sleep(20);
  }
  await puts;
  const rows = await converge(expectedTable(sent), WAIT_MS, neverBack);
  const aheadFixes = new Set(
    decodedAll(ahead).flatMap((e) =>
      "vehicle" in e && "location" in e
        ? [`${e.vehicle.vin} ${e.timestamp} ${e.location.latitude} ${e.location.longitude}`]
        : [],
    ),
  );
  for (const row of rows) {
    const old = before.get(String(row.vin));
    assert.ok(
      String(row["location-timestamp"]) > String(old?.["location-timestamp"]),
      `${row.vin} moved on`,
    );
    const fix = `${row.vin} ${row["location-timestamp"]} ${row.latitude} ${row.longitude}`;
    assert.ok(aheadFixes.has(fix), `${row.vin}'s location comes from a forward event`);
  }
});

test("the mapping killed mid-stream (SIGKILL) and restarted loses nothing", async () => {
  const saved = await savedPositions(stateDir, stream);
  const moved = (now: Record<string, string | undefined>) =>
    Object.keys(now).some((shard) => now[shard] !== saved[shard]);
  // Kill as soon as the mapping has checkpointed part of a stream that is still being written.
  const puts = put(forward(2 * RUN, 2 * RUN + 1_500));
  for (let tries = 0; !moved(await savedPositions(stateDir, stream)); tries++) {
    assert.ok(tries < 2_000, "the mapping made progress before the kill");
    await sleep(5);
  }
  await mapping?.kill();
  mapping = undefined;
  await puts;
  await put(forward(2 * RUN + 1_500, 2 * RUN + 1_600)); // and more while it is down
  assert.not.ok(
    (await caughtUp(emulators.kinesisClient, stream, stateDir)).done,
    "records left to read",
  );
  const lines: string[] = [];
  mapping = await startMappingProcess(target, { onLine: (line) => lines.push(line) });
  await converge(expectedTable(sent), WAIT_MS);
  await untilCaughtUp(emulators.kinesisClient, stream, stateDir, WAIT_MS);
  const resumed = lines.filter((line) => line.includes('"msg":"reading shard"'));
  assert.is(resumed.length, 2);
  for (const line of resumed) assert.not.match(line, /TRIM_HORIZON/, "resumed from its checkpoint");
});

test.run();
