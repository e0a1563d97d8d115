import { setTimeout as sleep } from "node:timers/promises";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { SnapshotCache } from "./cache.ts";
import { type Snapshot, snapshot } from "./snapshot.ts";

const settings = { serviceInterval: 1_000, heartbeatMs: 15_000 };
const table = (mileage: number): Snapshot => snapshot([{ vin: "A", mileage }], settings);

/** A cache over a table whose mileage the test sets, on a clock the test moves. */
function harness(refreshMs = 1_000) {
  const state = { clock: 0, mileage: 1, fail: false, changes: [] as number[], errors: 0 };
  const cache = new SnapshotCache({
    refreshMs,
    now: () => state.clock,
    read: async () => {
      if (state.fail) throw new Error("table gone");
      return table(state.mileage);
    },
    onChange: (s) => state.changes.push(JSON.parse(s.body.toString()).trucks[0].mileage),
    onError: () => state.errors++,
  });
  return { cache, state };
}

test("callers within the refresh interval share one read", async () => {
  const { cache, state } = harness();
  const all = await Promise.all(Array.from({ length: 100 }, () => cache.get()));
  assert.is(cache.reads, 1);
  assert.ok(all.every((s) => s === all[0]));
  state.clock = 999;
  state.mileage = 2;
  assert.is(await cache.get(), all[0]);
  assert.is(cache.reads, 1);
  state.clock = 1_000;
  assert.is.not(await cache.get(), all[0]);
  assert.is(cache.reads, 2);
  assert.is(cache.lastReadAt, 1_000);
});

test("a change is reported once, an unchanged read not at all", async () => {
  const { cache, state } = harness();
  await cache.get();
  state.clock = 1_000;
  await cache.get();
  state.mileage = 7;
  state.clock = 2_000;
  await cache.get();
  assert.equal(state.changes, [1, 7]);
});

test("a failed read keeps the last snapshot, is rate-limited too, and is reported", async () => {
  const { cache, state } = harness();
  const good = await cache.get();
  state.fail = true;
  state.clock = 1_000;
  assert.is(await cache.get(), good);
  assert.ok(cache.failing);
  assert.is(await cache.get(), good);
  assert.is(cache.reads, 2);
  assert.is(state.errors, 1);
  assert.is(cache.lastReadAt, 0);
  state.fail = false;
  state.clock = 2_000;
  await cache.get();
  assert.not.ok(cache.failing);
});

test("with no snapshot ever read, a failure rejects, and so does a retry too soon", async () => {
  const { cache, state } = harness();
  state.fail = true;
  await cache.get().then(
    () => assert.unreachable(),
    (err: Error) => assert.is(err.message, "table gone"),
  );
  await cache.get().then(
    () => assert.unreachable(),
    (err: Error) => assert.is(err.message, "table gone"),
  );
  assert.is(cache.reads, 1);
});

test("the loop reads once per interval while on, and not at all when off", async () => {
  let reads = 0;
  const cache = new SnapshotCache({
    refreshMs: 40,
    read: async () => table(++reads),
  });
  cache.poll(true);
  cache.poll(false);
  cache.poll(true); // a restart must not leave two loops running
  await sleep(210);
  cache.poll(false);
  const whileOn = reads;
  assert.ok(whileOn >= 4 && whileOn <= 6, `${whileOn} reads in 210 ms at one per 40 ms`);
  await sleep(120);
  assert.is(reads, whileOn);
});

test.run();
