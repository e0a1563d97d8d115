import { test } from "uvu";
import * as assert from "uvu/assert";
import { percentile } from "./stats.ts";

test("nearest-rank percentiles", () => {
  const values = [5, 1, 4, 2, 3, 10, 9, 8, 7, 6];
  assert.is(percentile(values, 50), 5);
  assert.is(percentile(values, 90), 9);
  assert.is(percentile(values, 99), 10);
  assert.is(percentile(values, 100), 10);
  assert.is(percentile(values, 0), 1);
  assert.is(percentile([42], 99), 42);
  assert.ok(Number.isNaN(percentile([], 50)));
});

test.run();
