import { setTimeout as sleep } from "node:timers/promises";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { settleAll } from "./pool.ts";

test("never runs more than the limit at once, and runs everything", async () => {
  let running = 0;
  let peak = 0;
  const results = await settleAll([...Array(20).keys()], 4, async (n) => {
    running++;
    peak = Math.max(peak, running);
    await sleep(n % 3);
    running--;
    return n * 2;
  });
  assert.is(peak, 4);
  assert.equal(
    results.map((r) => (r.status === "fulfilled" ? r.value : undefined)),
    [...Array(20).keys()].map((n) => n * 2),
  );
});

test("a failure is reported in place and stops nothing else", async () => {
  const results = await settleAll([1, 2, 3], 2, async (n) => {
    if (n === 2) throw new Error("two");
    return n;
  });
  assert.equal(results[0], { status: "fulfilled", value: 1 });
  assert.is(results[1]?.status, "rejected");
  assert.equal(results[2], { status: "fulfilled", value: 3 });
});

test("nothing to do resolves at once", async () => {
  assert.equal(await settleAll([], 16, async () => 1), []);
});

test.run();
