import fc from "fast-check";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { fromItem, type Item, type StoredRow, toItem } from "./item.ts";
import { joinKnown, knownAfterWrite } from "./known.ts";
import { type Part, planImprovements, type WritePlan } from "./plan.ts";
import { merge } from "./row.ts";
import { row } from "./testing/arbitraries.ts";
import { applyUpdate, conditionHolds } from "./testing/expressions.ts";
import { check } from "./testing/property.ts";

const vin = "1HGCM82633A004352";
const PARTS: readonly Part[] = ["mileage", "mileageAtOilChange", "location"];
const parts = fc.subarray([...PARTS]);

/** `a` is at or below `b`, part by part (what a lower bound of `b` must be). */
const atOrBelow = (a: StoredRow, b: StoredRow) =>
  assert.equal(joinKnown(a, b), b, `${JSON.stringify(a)} is not below ${JSON.stringify(b)}`);

/**
 * A stored item, or none, and a lower bound of it: some parts of one of the
 * rows whose merge the table holds (nothing is known of a missing item).
 */
const tableAndFloor = fc
  .record({ first: row(vin), second: row(vin), known: parts, missing: fc.boolean() })
  .map(({ first, second, known, missing }) =>
    missing
      ? { stored: undefined, floor: {} }
      : { stored: merge(first, second), floor: knownAfterWrite(undefined, first, known) },
  );

const stored = fc.tuple(row(vin), parts).map(([r, p]) => knownAfterWrite(undefined, r, p));

test("joinKnown is a join: commutative, associative, idempotent", async () => {
  await check(
    fc.property(stored, stored, stored, (a, b, c) => {
      assert.equal(joinKnown(a, b), joinKnown(b, a));
      assert.equal(joinKnown(joinKnown(a, b), c), joinKnown(a, joinKnown(b, c)));
      assert.equal(joinKnown(a, a), a);
    }),
    500,
  );
});

test("against a lower bound, the plan keeps every part the table itself would take", async () => {
  await check(
    fc.property(tableAndFloor, row(vin), ({ stored, floor }, r) => {
      const against = (known: StoredRow | undefined) => planImprovements(r, known)?.parts ?? [];
      const kept = against(floor);
      for (const part of against(stored)) {
        assert.ok(kept.includes(part), `${part} improves the table but was dropped`);
      }
    }),
    2000,
  );
});

test("a truck that beats nothing known would have changed nothing", async () => {
  await check(
    fc.property(tableAndFloor, row(vin), ({ stored, floor }, r) => {
      if (planImprovements(r, floor) !== undefined || stored === undefined) return;
      assert.equal(merge(stored, r), stored);
    }),
    2000,
  );
});

test("what an accepted write tells stays below the item it leaves", async () => {
  await check(
    fc.property(tableAndFloor, row(vin), ({ stored, floor }, r) => {
      const p = planImprovements(r, floor) as WritePlan | undefined;
      const item: Item = stored === undefined ? {} : toItem(stored);
      // A refused write teaches the stored item itself, which is below it by definition.
      if (p === undefined || !conditionHolds(p.condition, p, item)) return;
      const after = fromItem(applyUpdate(p.update, p, { ...item, vin }));
      atOrBelow(knownAfterWrite(floor, r, p.parts), after);
    }),
    2000,
  );
});

test("an accepted write raises only the parts it wrote", () => {
  const known = knownAfterWrite(
    { vin, mileage: 200 },
    { vin, mileage: 100, mileageAtOilChange: 90 },
    ["mileageAtOilChange"],
  );
  assert.equal(known, { vin, mileage: 200, mileageAtOilChange: 90 });
});

test.run();
