/**
 * The chapter's OOPS world, simulated: three trucks, five London locations, two
 * mechanics, three drivers, three customers and five packages. Pure and seeded,
 * so the same options always give the same events.
 *
 * Time can run forward or backwards. Running backwards from where a forward run
 * started replays ever-older events, which the table must ignore: that is the
 * chapter's test that the conditional writes guard against late arrivals.
 *
 * @module
 */

import type {
  Customer,
  Employee,
  EventName,
  Location,
  OopsEvent,
  Package,
  Vehicle,
} from "../../core/mod.ts";
import { EVENT_NAMES } from "../../core/mod.ts";
import { createRandom, type Random } from "./random.ts";

/** Which way the world's clock and odometers run. */
export type Direction = "forward" | "backwards";

/** Where every run starts unless told otherwise (the chapter's first timestamp). */
export const START = "2018-01-01T00:00:00Z";

/** The most an odometer moves in one tick. */
export const MAX_MILES_PER_TICK = 30;

/** The most the clock moves in one tick. */
export const MAX_MINUTES_PER_TICK = 300;

/** The chapter's three trucks and their odometers at {@link START}. */
export const TRUCKS: readonly Vehicle[] = [
  { vin: "1HGCM82633A004352", mileage: 32332 },
  { vin: "JH4TB2H26CC000000", mileage: 7839 },
  { vin: "19UYA31581L000000", mileage: 6754 },
];

/** The chapter's four London locations and one more; elevations in metres. */
export const LOCATIONS: readonly Location[] = [
  { latitude: 51.5208046, longitude: -0.1592323, elevation: 35 },
  { latitude: 51.4972997, longitude: -0.0955459, elevation: 4 },
  { latitude: 51.4704679, longitude: -0.1176902, elevation: 12 },
  { latitude: 51.522834, longitude: -0.081813, elevation: 7 },
  { latitude: 51.5073219, longitude: -0.1276474, elevation: 17 },
];

export const MECHANICS: readonly Employee[] = [
  { id: "5e8d6a58-6f4c-4c2b-9a47-1f1c3b0a2d11", jobRole: "JNR_MECHANIC" },
  { id: "b1e4f2c9-3d7a-4e58-8c61-7a2f9d4e6b22", jobRole: "SNR_MECHANIC" },
];

export const DRIVERS: readonly Employee[] = [
  { id: "0c4a8e3f-9b21-4d6e-a5f7-3e8b1c2d4f33", jobRole: "JNR_DRIVER" },
  { id: "7f2b5d9a-1e6c-4a38-b4d2-9c7e3f1a5b44", jobRole: "SNR_DRIVER" },
  { id: "e3d1c7b5-8a4f-4f92-9e6a-2b5c8d7f1a55", jobRole: "SNR_DRIVER" },
];

export const CUSTOMERS: readonly Customer[] = [
  { id: "2a9f7e1c-5b3d-4c86-a1e4-6d8b2f9c3e66", isVip: false },
  { id: "9d6b3a2e-7c1f-4e59-b8a3-4f2e6c1d7b77", isVip: true },
  { id: "4b1e8c6d-2f9a-4a73-9d5b-8e3c7a2f6d88", isVip: false },
];

export const PACKAGES: readonly Package[] = [
  { id: "6c3f9a1d-4e8b-4b27-a6c9-1d7e5b3f8a99" },
  { id: "8e5a2c7f-9d3b-4f61-b2e8-5a9c4d1e7baa" },
  { id: "1f7d4b9e-6a2c-4d85-8f3a-7c2e9b5d1fbb" },
  { id: "3a8c6e2b-1d9f-4b47-9c5e-2f8a6d3b9ccc" },
  { id: "d9b2f5a8-3c7e-4a16-a8d4-9e1b7c5f2ddd" },
];

/** What {@link events} needs to know. */
export interface WorldOptions {
  /** Seed of the pseudo-random choices (an integer in 0..2^32-1). */
  readonly seed: number;
  /** The clock before the first tick; {@link START} by default. */
  readonly start?: Date;
  readonly direction?: Direction;
  /** How many events; unbounded when omitted. */
  readonly count?: number;
}

const MINUTE_MS = 60_000;
/** Timestamps must stay within four-digit years to remain valid ISO-8601 on the wire. */
// setUTCFullYear, unlike Date.UTC, does not map year 0 to 1900.
const EARLIEST_MS = new Date(0).setUTCFullYear(0, 0, 1);
const LATEST_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/**
 * The world's events, one per tick. Each tick steps one truck's odometer by
 * 0..{@link MAX_MILES_PER_TICK} miles and the clock by
 * 0..{@link MAX_MINUTES_PER_TICK} minutes in the run's direction (odometers
 * stop at 0), then emits one of the five event types at the new time. Objects
 * are in wire format, timestamps written as `2018-01-01T00:14:00Z`. The
 * sequence ends after `count` events, or when the clock would leave the years
 * 0000-9999.
 *
 * @example
 * ```ts
 * import { events } from "./world.ts";
 * for (const e of events({ seed: 42, count: 3, direction: "backwards" })) {
 *   console.log(e.event, e.timestamp); // e.g. TRUCK_ARRIVES 2017-12-31T20:15:00Z
 * }
 * ```
 */
export function* events(options: WorldOptions): Generator<OopsEvent> {
  const random = createRandom(options.seed);
  const sign = options.direction === "backwards" ? -1 : 1;
  const odometers = TRUCKS.map((truck) => truck.mileage);
  let clock = (options.start ?? new Date(START)).getTime();
  for (let emitted = 0; options.count === undefined || emitted < options.count; emitted++) {
    const truck = random.int(0, TRUCKS.length - 1);
    const miles = (odometers[truck] as number) + sign * random.int(0, MAX_MILES_PER_TICK);
    odometers[truck] = Math.max(0, miles);
    clock += sign * random.int(0, MAX_MINUTES_PER_TICK) * MINUTE_MS;
    if (clock < EARLIEST_MS || clock > LATEST_MS) return;
    const vehicle = { vin: (TRUCKS[truck] as Vehicle).vin, mileage: odometers[truck] as number };
    yield event(random.pick(EVENT_NAMES), wireTimestamp(clock), vehicle, random);
  }
}

/** Seconds precision with `Z`, as the chapter's generator wrote them; milliseconds only when present. */
function wireTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace(/\.000Z$/, "Z");
}

/** One event of type `name`; truck events carry `vehicle`, the others draw their people and places. */
function event(name: EventName, timestamp: string, vehicle: Vehicle, random: Random): OopsEvent {
  switch (name) {
    case "TRUCK_ARRIVES":
    case "TRUCK_DEPARTS":
      return { event: name, timestamp, vehicle, location: random.pick(LOCATIONS) };
    case "MECHANIC_CHANGES_OIL":
      return { event: name, timestamp, employee: random.pick(MECHANICS), vehicle };
    case "DRIVER_DELIVERS_PACKAGE":
    case "DRIVER_MISSES_CUSTOMER":
      return {
        event: name,
        timestamp,
        employee: random.pick(DRIVERS),
        package: random.pick(PACKAGES),
        customer: random.pick(CUSTOMERS),
        location: random.pick(LOCATIONS),
      };
  }
}
