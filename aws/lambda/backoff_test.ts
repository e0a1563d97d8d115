import { test } from "uvu";
import * as assert from "uvu/assert";
import { backoffMs } from "./backoff.ts";

test("doubles from the base and stops at the cap", () => {
  const schedule = [1, 2, 3, 4, 5, 6, 7, 8].map((n) => backoffMs(n));
  assert.equal(schedule, [100, 200, 400, 800, 1600, 3200, 5000, 5000]);
});

test("a huge attempt number stays at the cap (no Infinity, no overflow)", () => {
  assert.is(backoffMs(10_000, { baseMs: 1, capMs: 250 }), 250);
});

test("attempt 0 or below waits the base", () => {
  assert.is(backoffMs(0), 100);
  assert.is(backoffMs(-3, { baseMs: 7, capMs: 9 }), 7);
});

test.run();
