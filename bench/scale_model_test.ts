import { test } from "uvu";
import * as assert from "uvu/assert";
import { simulate } from "./scale_model.ts";

/** Expected distinct trucks in a batch of `b` events drawn uniformly from `f` trucks. */
const distinct = (f: number, b: number) => f * (1 - (1 - 1 / f) ** b);

test("random keys: writes per batch match the expected number of distinct trucks", () => {
  for (const [trucks, batchSize] of [
    [3, 100],
    [1_000, 100],
    [1_000, 1_000],
  ] as const) {
    const r = simulate({ trucks, partitionKey: "random", batchSize, shards: 2 }, 200_000);
    const expected = (distinct(trucks, batchSize) / batchSize) * 1000;
    assert.ok(
      Math.abs(r.writesPer1000 - expected) / expected < 0.03,
      `${trucks}/${batchSize}: ${r.writesPer1000} vs ${expected}`,
    );
  }
});

test("VIN keys never cost more writes than random keys", () => {
  for (const trucks of [3, 1_000]) {
    const random = simulate(
      { trucks, partitionKey: "random", batchSize: 100, shards: 16 },
      100_000,
    );
    const vin = simulate({ trucks, partitionKey: "vin", batchSize: 100, shards: 16 }, 100_000);
    assert.ok(
      vin.writesPer1000 <= random.writesPer1000 * 1.02,
      `${trucks}: ${vin.writesPer1000} > ${random.writesPer1000}`,
    );
  }
});

test("a fleet much larger than the batch gets no pre-aggregation", () => {
  const r = simulate(
    { trucks: 100_000, partitionKey: "random", batchSize: 100, shards: 2 },
    50_000,
  );
  assert.ok(r.writesPer1000 > 990);
});

test.run();
