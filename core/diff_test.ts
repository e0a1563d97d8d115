import fc from "fast-check";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { byDirection, diffTables } from "./diff.ts";
import type { Item } from "./item.ts";
import { event } from "./testing/arbitraries.ts";
import { CHAPTER_ITEMS } from "./testing/fixtures.ts";
import { oracleTable } from "./testing/oracle.ts";
import { check } from "./testing/property.ts";

const [A, B, C] = CHAPTER_ITEMS;

test("a wrong mileage and a location from the future: those attributes, nothing else", () => {
  const broken = [
    { ...A, mileage: 999_999 },
    B,
    { ...C, "location-timestamp": "2099-01-01T00:00:00.000Z" },
  ];
  // By VIN: 19UYA31581L000000 (C) sorts before 1HGCM82633A004352 (A).
  assert.equal(diffTables(broken, CHAPTER_ITEMS), [
    {
      vin: C.vin as string,
      attribute: "location-timestamp",
      left: "2099-01-01T00:00:00.000Z",
      right: C["location-timestamp"],
    },
    { vin: A.vin as string, attribute: "mileage", left: 999_999, right: A.mileage },
  ]);
});

test("a truck on one side only differs in its key and every attribute it has", () => {
  const diff = diffTables([A, B], [A]);
  assert.equal(
    diff.map((d) => [d.vin, d.attribute, d.right]),
    Object.keys(B).map((k) => [B.vin, k, undefined]),
  );
  assert.equal(diffTables([], [{ vin: "1HGCM82633A004352" }]), [
    { vin: "1HGCM82633A004352", attribute: "vin", left: undefined, right: "1HGCM82633A004352" },
  ]);
});

/** Items of a few trucks with small value ranges, so that equal and different values are both common. */
const items = fc.uniqueArray(
  fc.record(
    {
      vin: fc.constantFrom("1HGCM82633A004352", "JH4TB2H26CC000000", "19UYA31581L000000"),
      mileage: fc.integer({ min: 0, max: 3 }),
      "mileage-at-oil-change": fc.integer({ min: 0, max: 3 }),
      extra: fc.constantFrom("x", "y"),
    },
    { requiredKeys: ["vin"] },
  ),
  { selector: (item) => item.vin },
);

test("no difference exactly when the tables are equal; swapping the sides swaps left and right", async () => {
  await check(
    fc.property(items, items, (a: Item[], b: Item[]) => {
      const diff = diffTables(a, b);
      const sorted = (t: Item[]) =>
        JSON.stringify([...t].sort((x, y) => String(x.vin).localeCompare(String(y.vin))));
      const same = (x: Item[], y: Item[]) =>
        x.length === y.length &&
        x.every((i) => {
          const j = y.find((k) => k.vin === i.vin);
          return j !== undefined && Object.keys({ ...i, ...j }).every((key) => i[key] === j[key]);
        });
      assert.is(diff.length === 0, same(a, b), `${sorted(a)} vs ${sorted(b)}`);
      assert.equal(
        diffTables(b, a),
        diff.map(({ vin, attribute, left, right }) => ({
          vin,
          attribute,
          left: right,
          right: left,
        })),
      );
    }),
    1000,
  );
});

test("a table that only took more events is ahead everywhere; an inflated one is corrected", async () => {
  const cases = fc.tuple(
    fc.array(event(), { maxLength: 30 }),
    fc.array(event(), { maxLength: 30 }),
  );
  await check(
    fc.property(cases, ([before, after]) => {
      const left = oracleTable(before);
      const { corrected } = byDirection(diffTables(left, oracleTable([...before, ...after])));
      assert.equal(corrected, []);
      const inflated = left.map((item) => ({ ...item, mileage: Number(item.mileage) + 1_000_000 }));
      const back = byDirection(diffTables(inflated, left));
      assert.equal(back.advanced, []);
      assert.is(back.corrected.length, left.length);
    }),
    500,
  );
});

test.run();
