import fc from "fast-check";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { fromItem, type Item, joinKnown, planImprovements, type Row } from "../core/mod.ts";
import { row as rowOf, VINS } from "../core/testing/arbitraries.ts";
import { applyUpdate, conditionHolds } from "../core/testing/expressions.ts";
import { check } from "../core/testing/property.ts";
import { createFloor } from "./floor.ts";

const [A, B, C] = VINS;
const vin = A;
const row: Row = {
  vin,
  mileage: 100,
  location: { timestamp: "2018-01-01T00:00:00.000Z", latitude: 1, longitude: 2 },
};

/** A floor on a clock the test moves. */
function clocked(maxTrucks = 10, ttlMs = 1_000) {
  const clock = { now: 0 };
  return { clock, floor: createFloor({ maxTrucks, ttlMs, now: () => clock.now }) };
}

test("an accepted write is known, for its table and truck only", () => {
  const { floor } = clocked();
  floor.wrote("t", row, ["mileage"]);
  assert.equal(floor.known("t", vin), { vin, mileage: 100 });
  assert.is(floor.known("other-table", vin), undefined);
  assert.is(floor.known("t", B), undefined);
  floor.wrote("t", { vin, mileage: 90, mileageAtOilChange: 90 }, ["mileageAtOilChange"]);
  assert.equal(floor.known("t", vin), { vin, mileage: 100, mileageAtOilChange: 90 });
});

test("the item seen with a refusal replaces what was known, even a higher value", () => {
  const { floor } = clocked();
  floor.wrote("t", row, ["mileage", "location"]);
  floor.saw("t", vin, { vin, mileage: 50 });
  assert.equal(floor.known("t", vin), { vin, mileage: 50 });
  floor.saw("t", vin, {});
  assert.equal(floor.known("t", vin), {});
});

test("an entry expires its TTL after its oldest fact; writes do not extend it, a refusal does", () => {
  const { clock, floor } = clocked(10, 1_000);
  floor.wrote("t", row, ["mileage"]);
  clock.now = 999;
  floor.wrote("t", row, ["location"]);
  assert.ok(floor.known("t", vin)?.location);
  clock.now = 1_000;
  assert.is(floor.known("t", vin), undefined);
  floor.saw("t", vin, { vin, mileage: 100 });
  clock.now = 1_999;
  assert.equal(floor.known("t", vin), { vin, mileage: 100 });
  clock.now = 2_000;
  assert.is(floor.known("t", vin), undefined);
});

test("at most maxTrucks entries, the least recently used evicted first", () => {
  const { floor } = clocked(2);
  floor.wrote("t", { ...row, vin: A }, ["mileage"]);
  floor.wrote("t", { ...row, vin: B }, ["mileage"]);
  floor.known("t", A); // A is now the most recently used
  floor.wrote("t", { ...row, vin: C }, ["mileage"]);
  assert.is(floor.size, 2);
  assert.ok(floor.known("t", A));
  assert.is(floor.known("t", B), undefined);
  assert.ok(floor.known("t", C));
});

test("maxTrucks 0 knows nothing", () => {
  const { floor } = clocked(0);
  floor.wrote("t", row, ["mileage"]);
  floor.saw("t", vin, { vin, mileage: 100 });
  assert.is(floor.known("t", vin), undefined);
  assert.is(floor.size, 0);
});

/** One step of a writer against the table: a conditional write of a row, accepted or refused. */
const step = fc.record({ row: rowOf(vin), evicting: fc.boolean(), later: fc.nat(600) });

test("whatever is written, refused, evicted or expired, the floor stays below the table", async () => {
  await check(
    fc.property(fc.array(step, { maxLength: 30 }), (steps) => {
      const { clock, floor } = clocked(1, 1_000);
      let item: Item = {};
      for (const { row: r, evicting, later } of steps) {
        clock.now += later;
        const p = planImprovements(r, floor.known("t", vin));
        if (p === undefined) continue;
        // The table as DynamoDB runs the plan's expressions (an interpreter of them,
        // independent of the join the floor is built from).
        if (conditionHolds(p.condition, p, item)) {
          item = applyUpdate(p.update, p, { ...item, vin });
          floor.wrote("t", r, p.parts);
        } else {
          floor.saw("t", vin, fromItem(item));
        }
        if (evicting) floor.wrote("t", { ...r, vin: B }, ["mileage"]);
        const known = floor.known("t", vin);
        const table = fromItem(item);
        if (known !== undefined) assert.equal(joinKnown(known, table), table);
      }
    }),
    500,
  );
});

test.run();
