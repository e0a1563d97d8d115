import fc from "fast-check";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { fromItem, type Item, toItem } from "./item.ts";
import { plan, planImprovements, type WritePlan } from "./plan.ts";
import { comparePositions, merge, type Row } from "./row.ts";
import { row as rowOf } from "./testing/arbitraries.ts";
import { applyUpdate, conditionHolds } from "./testing/expressions.ts";
import { CHAPTER_ROWS } from "./testing/fixtures.ts";
import { check } from "./testing/property.ts";

const vin = "1HGCM82633A004352";

test("the combined plan sets every part the row has, under the design card's names", () => {
  const p = plan(CHAPTER_ROWS[0]); // 1HGCM82633A004352 (the `vin` above) of table 11.3
  assert.equal(p.key, { vin });
  assert.equal(p.parts, ["mileage", "mileageAtOilChange", "location"]);
  assert.is(p.update, "SET #m = :m, #oil = :oil, #ts = :ts, #lat = :lat, #lon = :lon");
  assert.equal(p.names, {
    "#m": "mileage",
    "#oil": "mileage-at-oil-change",
    "#ts": "location-timestamp",
    "#lat": "latitude",
    "#lon": "longitude",
  });
  assert.equal(p.values, {
    ":m": 12453,
    ":oil": 12418,
    ":ts": "2018-08-02T21:50:49.000Z",
    ":lat": 51.5208046,
    ":lon": -0.1592323,
  });
});

test("a row without oil change or location sets only the mileage", () => {
  const p = plan({ vin, mileage: 7 });
  assert.is(p.update, "SET #m = :m");
  assert.is(p.condition, "(attribute_not_exists(#m) OR #m <= :m)");
  assert.equal(Object.keys(p.names), ["#m"]);
});

/** Whether DynamoDB would let the plan's write through on `item`. */
const holds = (p: WritePlan, item: Item) => conditionHolds(p.condition, p, item);

/** The item after DynamoDB applied the plan's SET clauses. */
const applied = (p: WritePlan, item: Item) => applyUpdate(p.update, p, { ...item, vin: p.key.vin });

const row = rowOf();
const stored = fc.option(row, { nil: undefined });

/** Whether every part of `row` is at least as new as the stored one, or the stored one is absent. */
function notOlder(r: Row, s: Row | undefined): boolean {
  if (s === undefined) return true;
  const oil =
    r.mileageAtOilChange === undefined ||
    s.mileageAtOilChange === undefined ||
    r.mileageAtOilChange >= s.mileageAtOilChange;
  const where =
    r.location === undefined ||
    s.location === undefined ||
    comparePositions(r.location, s.location) >= 0;
  return r.mileage >= s.mileage && oil && where;
}

test("the combined condition lets a write through exactly when no part is older", async () => {
  await check(
    fc.property(row, stored, (r, s) => {
      const item = s === undefined ? {} : toItem(s);
      const p = plan(r);
      assert.is(holds(p, item), notOlder(r, s));
      if (holds(p, item))
        assert.equal(fromItem(applied(p, item)), s === undefined ? r : merge(s, r));
    }),
    1000,
  );
});

test("the narrower plan writes exactly what still improves, and lands on the merge", async () => {
  await check(
    fc.property(row, stored, (r, s) => {
      const item = s === undefined ? {} : toItem(s);
      const target = s === undefined ? r : merge(s, r);
      const p = planImprovements(r, s);
      if (p === undefined) {
        assert.equal(target, s, "nothing improves only when the merge is the stored row");
        return;
      }
      assert.ok(holds(p, item), "an improvement on the stored item passes its own guard");
      assert.equal(fromItem(applied(p, item)), target);
      // Every part it writes really changes the item.
      for (const part of p.parts) assert.not.equal(r[part], s?.[part]);
    }),
    1000,
  );
});

test("a narrower plan's guard still refuses a concurrent writer's newer value", () => {
  const mine: Row = { vin, mileage: 10, mileageAtOilChange: 10 };
  const p = planImprovements(mine, { vin, mileage: 12 }) as WritePlan;
  assert.equal(p.parts, ["mileageAtOilChange"]);
  assert.ok(holds(p, { vin, mileage: 12 }));
  assert.not.ok(holds(p, { vin, mileage: 12, "mileage-at-oil-change": 11 }));
});

test.run();
