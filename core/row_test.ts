import fc from "fast-check";
import { test } from "uvu";
import * as assert from "uvu/assert";
import type { OopsEvent } from "./event.ts";
import { toItem } from "./item.ts";
import { comparePositions, map, merge, milesSinceOilChange, type Row, reduce } from "./row.ts";
import { delivery, event, row as rowOf, VINS } from "./testing/arbitraries.ts";
import { CHAPTER_ITEMS, CHAPTER_ROWS } from "./testing/fixtures.ts";
import { oracleTable } from "./testing/oracle.ts";
import { check } from "./testing/property.ts";

const MECHANIC = { id: "0d1b2c3a-4e5f-4a6b-8c7d-9e0f1a2b3c4d", jobRole: "JNR_MECHANIC" };
const at = (latitude: number, longitude: number) => ({ latitude, longitude, elevation: 7 });

const departs = (
  vin: string,
  mileage: number,
  timestamp: string,
  lat: number,
  lon: number,
): OopsEvent => ({
  event: "TRUCK_DEPARTS",
  timestamp,
  vehicle: { vin, mileage },
  location: at(lat, lon),
});
const oilChange = (vin: string, mileage: number, timestamp: string): OopsEvent => ({
  event: "MECHANIC_CHANGES_OIL",
  timestamp,
  employee: MECHANIC,
  vehicle: { vin, mileage },
});

const table = (events: OopsEvent[]) => reduce(events.map(map)).map(toItem);

test("table 11.3: each truck's mileage, mileage at oil change and latest location", () => {
  const events = [
    oilChange("1HGCM82633A004352", 12418, "2018-08-02T20:00:00.000Z"),
    departs("1HGCM82633A004352", 12453, "2018-08-02T21:50:49.000Z", 51.5208046, -0.1592323),
    departs("JH4TB2H26CC000000", 19090, "2018-08-01T22:46:12.000Z", 51.4972997, -0.0955459),
    oilChange("JH4TB2H26CC000000", 18923, "2018-07-30T08:00:00.000Z"),
    departs("JH4TB2H26CC000000", 18990, "2018-08-01T10:00:00.000Z", 51.5, -0.1),
    oilChange("19UYA31581L000000", 8329, "2018-08-02T09:00:00.000Z"),
    departs("19UYA31581L000000", 8407, "2018-08-02T18:14:45.000Z", 51.4704679, -0.1176902),
  ];
  // Sorted by VIN: 19UYA31581L000000, 1HGCM82633A004352, JH4TB2H26CC000000.
  assert.equal(table(events), [CHAPTER_ITEMS[2], CHAPTER_ITEMS[0], CHAPTER_ITEMS[1]]);
  const miles = reduce(events.map(map)).map((row) => milesSinceOilChange(row));
  assert.equal(miles, [78, 35, 167]); // table 11.1's "miles since oil change"
});

test("figure 11.5: an oil change processed after a later departure still counts", () => {
  const vin = "1HGCM82633A004352";
  const oil = oilChange(vin, 12418, "2018-08-02T20:00:00.000Z");
  const later = departs(vin, 12453, "2018-08-02T21:50:49.000Z", 51.5208046, -0.1592323);
  const expected = CHAPTER_ROWS[0]; // 1HGCM82633A004352 of table 11.3
  assert.equal(reduce([map(later), map(oil)]), [expected]);
  assert.equal(reduce([map(oil), map(later)]), [expected]);
});

test("figure 11.3: an older location never overwrites a newer one", () => {
  const vin = "JH4TB2H26CC000000";
  const newer = map(departs(vin, 100, "2018-01-01T10:00:00.000Z", 51.5, -0.1)) as Row;
  const older = map(departs(vin, 90, "2018-01-01T09:00:00.000Z", 51.4, -0.2)) as Row;
  assert.equal(merge(newer, older), newer);
});

test("driver events say nothing about a truck", () => {
  const visit = {
    timestamp: "2018-01-01T00:00:00.000Z",
    employee: MECHANIC,
    package: { id: MECHANIC.id },
    customer: { id: MECHANIC.id, isVip: true },
    location: at(51, 0),
  };
  assert.is(map({ event: "DRIVER_DELIVERS_PACKAGE", ...visit }), undefined);
  assert.is(map({ event: "DRIVER_MISSES_CUSTOMER", ...visit }), undefined);
  assert.equal(reduce([undefined, undefined]), []);
});

test("the backwards generator leaves a row with an oil change unchanged", async () => {
  // Backwards events are older and have lower mileage than anything the forward run saw.
  const forward = fc.array(event(["1HGCM82633A004352"]), { minLength: 1, maxLength: 30 });
  const backwards = fc.array(event(["1HGCM82633A004352"]), { maxLength: 30 });
  await check(
    fc.property(forward, backwards, (ahead, behind) => {
      const vin = "1HGCM82633A004352";
      const last = oilChange(vin, 100, "2018-01-05T00:00:00.000Z");
      const here = departs(vin, 100, "2018-01-05T00:00:00.000Z", 51.5, -0.1);
      const shift = (e: OopsEvent, miles: number, ms: number): OopsEvent =>
        "vehicle" in e
          ? {
              ...e,
              vehicle: { ...e.vehicle, mileage: 100 + miles * e.vehicle.mileage },
              timestamp: new Date(Date.parse(e.timestamp) + ms).toISOString(),
            }
          : e;
      const future = ahead.map((e) => shift(e, 1, 5 * 86_400_000));
      const past = behind.map((e) => shift(e, -1, -3 * 86_400_000));
      const snapshot = reduce([last, here, ...future].map(map));
      assert.equal(reduce([...snapshot, ...past.map(map)]), snapshot);
    }),
    1000,
  );
});

const row = rowOf();

test("merge is associative, commutative and idempotent", async () => {
  await check(
    fc.property(row, row, row, (a, b, c) => {
      assert.equal(merge(merge(a, b), c), merge(a, merge(b, c)));
      assert.equal(merge(a, b), merge(b, a));
      assert.equal(merge(a, a), a);
    }),
    1000,
  );
});

test("merge is the least upper bound: each part is the greater of the two", async () => {
  await check(
    fc.property(row, row, (a, b) => {
      const m = merge(a, b);
      assert.ok(m.mileage >= a.mileage && m.mileage >= b.mileage);
      assert.ok([a.mileage, b.mileage].includes(m.mileage));
      for (const side of [a, b]) {
        if (side.location)
          assert.ok(m.location && comparePositions(m.location, side.location) >= 0);
      }
      assert.ok(m.location === a.location || m.location === b.location);
    }),
    1000,
  );
});

test("merge refuses rows of different trucks", () => {
  assert.throws(
    () => merge({ vin: VINS[0], mileage: 1 }, { vin: VINS[1], mileage: 1 }),
    /cannot merge/,
  );
});

test("reduce agrees with the independent oracle, ties on timestamp included", async () => {
  await check(
    fc.property(fc.array(event(), { maxLength: 60 }), (events) => {
      assert.equal(table(events), oracleTable(events));
    }),
    1000,
  );
});

test("reduce is independent of order, duplication and batching", async () => {
  const deliveries = fc
    .array(event(), { maxLength: 40 })
    .chain((events) => fc.tuple(fc.constant(events), delivery(events)));
  await check(
    fc.property(deliveries, ([events, batches]) => {
      const perBatch = batches.map((batch) => reduce(batch.map(map)));
      assert.equal(reduce(perBatch.flat()), reduce(events.map(map)));
    }),
    1000,
  );
});

test.run();
