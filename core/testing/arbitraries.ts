/**
 * fast-check generators of OOPS events, for tests only. Few VINs, timestamps
 * and coordinates, so that random sets collide often: the same truck in many
 * events, equal timestamps with different coordinates, exact duplicates.
 *
 * @module
 */

import fc from "fast-check";
import type { Location, OopsEvent, Vehicle } from "../event.ts";
import type { Row } from "../row.ts";

/** VINs of the chapter's three trucks and two more. */
export const VINS = [
  "1HGCM82633A004352",
  "JH4TB2H26CC000000",
  "19UYA31581L000000",
  "5YJSA1E26HF000001",
  "WVWZZZ1JZXW000002",
] as const;

const uuid = fc.uuid();

/** Normalised timestamps from a small pool (hours of two days, some with milliseconds), so ties are common. */
export const timestamp = fc
  .tuple(fc.integer({ min: 0, max: 48 }), fc.constantFrom(0, 0, 0, 1, 999))
  .map(([hours, ms]) => new Date(Date.UTC(2018, 0, 1) + hours * 3_600_000 + ms).toISOString());

/** Few distinct coordinates, including negative, zero and the range limits. */
const latitude = fc.constantFrom(51.5208046, 51.4972997, -33.8688, 0, 90, -90, 51.5208046);
const longitude = fc.constantFrom(-0.1592323, -0.0955459, 151.2093, 0, 180, -180);

const location: fc.Arbitrary<Location> = fc.record({
  latitude,
  longitude,
  elevation: fc.integer({ min: -10, max: 300 }),
});

export const vehicle = (vins: readonly string[] = VINS): fc.Arbitrary<Vehicle> =>
  fc.record({ vin: fc.constantFrom(...vins), mileage: fc.integer({ min: 0, max: 60 }) });

const employee = fc.record({ id: uuid, jobRole: fc.constantFrom("JNR_MECHANIC", "DRIVER") });
const customer = fc.record({ id: uuid, isVip: fc.boolean() });
const parcel = fc.record({ id: uuid });

/** Any valid OOPS event, with fields in wire order, as a plain object (like JSON.parse makes). */
export const event = (vins: readonly string[] = VINS): fc.Arbitrary<OopsEvent> =>
  fc
    .oneof(
      fc.record({
        event: fc.constantFrom("TRUCK_ARRIVES" as const, "TRUCK_DEPARTS" as const),
        timestamp,
        vehicle: vehicle(vins),
        location,
      }),
      fc.record({
        event: fc.constant("MECHANIC_CHANGES_OIL" as const),
        timestamp,
        employee,
        vehicle: vehicle(vins),
      }),
      fc.record({
        event: fc.constantFrom(
          "DRIVER_DELIVERS_PACKAGE" as const,
          "DRIVER_MISSES_CUSTOMER" as const,
        ),
        timestamp,
        employee,
        package: parcel,
        customer,
        location,
      }),
    )
    .map((e): OopsEvent => JSON.parse(JSON.stringify(e)));

/** The edges of DynamoDB's number range, either side: ±0, subnormals, 1e-130, 1e126. */
const DYNAMODB_EDGES = [0, -0, 5e-324, -5e-324, 1e-130, -1e-130, 9.99999999999999e-131, 1e126];

/**
 * Numbers for a field whose range is `[min, max]`: mostly plain values with
 * six decimals, often any double in the range (most of which, counted by
 * representation, are tiny or subnormal), DynamoDB's edges, and now and then
 * any double at all: decode's limits are met from both sides while most
 * events stay valid.
 */
const numberIn = (min: number, max: number): fc.Arbitrary<number> =>
  fc.oneof(
    { weight: 8, arbitrary: fc.integer({ min: min * 1e6, max: max * 1e6 }).map((n) => n / 1e6) },
    { weight: 2, arbitrary: fc.double({ min, max, noNaN: true }) },
    { weight: 1, arbitrary: fc.constantFrom(...DYNAMODB_EDGES, 51.522834123456789) },
    { weight: 1, arbitrary: fc.double() },
  );

/** Odometer readings across the whole range of safe integers, edges and a few invalid ones included. */
const anyMileage = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }) },
  { weight: 1, arbitrary: fc.constantFrom(0, 1, 2 ** 53 - 1, 2 ** 53, 1e-200, 1.5) },
);

/** Truck events whose numbers come from their whole range and its edges ({@link numberIn}). */
export const wideTruckEvent = (vins: readonly string[] = VINS): fc.Arbitrary<OopsEvent> =>
  fc
    .record({
      event: fc.constantFrom("TRUCK_ARRIVES" as const, "TRUCK_DEPARTS" as const),
      timestamp,
      vehicle: fc.record({ vin: fc.constantFrom(...vins), mileage: anyMileage }),
      location: fc.record({
        latitude: numberIn(-90, 90),
        longitude: numberIn(-180, 180),
        elevation: numberIn(-500, 9000),
      }),
    })
    .map((e): OopsEvent => JSON.parse(JSON.stringify(e)));

/** Splits `items` into consecutive non-empty batches at random cut points. */
export const batches = <T>(items: readonly T[]): fc.Arbitrary<T[][]> =>
  fc.array(fc.integer({ min: 1, max: Math.max(1, items.length) }), { maxLength: 8 }).map((cuts) => {
    const points = [...new Set(cuts.filter((c) => c < items.length))].sort((a, b) => a - b);
    const out: T[][] = [];
    let start = 0;
    for (const p of [...points, items.length]) {
      if (p > start) out.push(items.slice(start, p));
      start = p;
    }
    return out;
  });

/**
 * A delivery of `events` as the event source mapping may make it: shuffled,
 * some events repeated (at-least-once), cut into batches.
 */
export const delivery = (events: readonly OopsEvent[]): fc.Arbitrary<OopsEvent[][]> =>
  fc
    .tuple(
      fc.shuffledSubarray([...events], { minLength: events.length, maxLength: events.length }),
      fc.subarray([...events]),
    )
    .chain(([shuffled, repeats]) =>
      fc.shuffledSubarray([...shuffled, ...repeats], {
        minLength: shuffled.length + repeats.length,
        maxLength: shuffled.length + repeats.length,
      }),
    )
    .chain((all) => batches(all));

/**
 * Rows of one truck with tiny value ranges, so that equal parts, equal
 * timestamps with different coordinates and missing parts are all common.
 */
export const row = (vin: string = VINS[0]): fc.Arbitrary<Row> =>
  fc
    .record(
      {
        vin: fc.constant(vin),
        mileage: fc.integer({ min: 0, max: 4 }),
        mileageAtOilChange: fc.integer({ min: 0, max: 4 }),
        location: fc.record({
          timestamp: fc.constantFrom(
            "2018-01-01T00:00:00.000Z",
            "2018-01-01T00:00:00.001Z",
            "2018-01-02T00:00:00.000Z",
          ),
          latitude: fc.constantFrom(-90, 0, 51.5, 90),
          longitude: fc.constantFrom(-180, -0.1, 0, 180),
        }),
      },
      { requiredKeys: ["vin", "mileage"] },
    )
    .map((r): Row => JSON.parse(JSON.stringify(r)));
