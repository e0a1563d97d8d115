/**
 * A truck's row: what one event, one batch or the whole history says about a
 * truck. Rows form a join-semilattice: {@link merge} is associative,
 * commutative and idempotent, so pre-aggregating a batch ({@link reduce}) and
 * merging into the table give the same answer in any order.
 *
 * @module
 */

import type { OopsEvent } from "./event.ts";

/** Where a truck was, and when (from TRUCK_ARRIVES / TRUCK_DEPARTS). */
export interface Position {
  /** UTC, `YYYY-MM-DDTHH:mm:ss.sssZ`. */
  readonly timestamp: string;
  readonly latitude: number;
  readonly longitude: number;
}

/** The status of one truck, as far as the events seen so far tell. */
export interface Row {
  readonly vin: string;
  /** Highest odometer reading seen. */
  readonly mileage: number;
  /** Highest odometer reading seen on an oil change, if any was seen. */
  readonly mileageAtOilChange?: number;
  /** The newest position seen, if any. */
  readonly location?: Position;
}

/**
 * Orders positions by (timestamp, latitude, longitude). The coordinates only
 * break ties between events with the same timestamp, so that the winner does
 * not depend on arrival order.
 *
 * @example
 * ```ts
 * import { comparePositions } from "./row.ts";
 * const at = (latitude: number) => ({ timestamp: "2018-01-01T00:00:00.000Z", latitude, longitude: 0 });
 * comparePositions(at(51), at(52)); // -1
 * ```
 */
export function comparePositions(a: Position, b: Position): -1 | 0 | 1 {
  if (a.timestamp !== b.timestamp) return a.timestamp < b.timestamp ? -1 : 1;
  if (a.latitude !== b.latitude) return a.latitude < b.latitude ? -1 : 1;
  if (a.longitude !== b.longitude) return a.longitude < b.longitude ? -1 : 1;
  return 0;
}

/**
 * The partial row an event contributes: truck events give one, driver events
 * give `undefined` (they say nothing about a truck).
 *
 * @example
 * ```ts
 * import { map } from "./row.ts";
 * map({ event: "MECHANIC_CHANGES_OIL", timestamp: "2018-01-01T00:00:00.000Z",
 *   employee: { id: "6f5a1a7e-0f47-4b5b-9d3b-2d3a5b1c9e10", jobRole: "JNR_MECHANIC" },
 *   vehicle: { vin: "1HGCM82633A004352", mileage: 32400 } });
 * // { vin: "1HGCM82633A004352", mileage: 32400, mileageAtOilChange: 32400 }
 * ```
 */
export function map(event: OopsEvent): Row | undefined {
  switch (event.event) {
    case "TRUCK_ARRIVES":
    case "TRUCK_DEPARTS": {
      const { vehicle, location, timestamp } = event;
      const { latitude, longitude } = location;
      return {
        vin: vehicle.vin,
        mileage: vehicle.mileage,
        location: { timestamp, latitude, longitude },
      };
    }
    case "MECHANIC_CHANGES_OIL":
      return {
        vin: event.vehicle.vin,
        mileage: event.vehicle.mileage,
        mileageAtOilChange: event.vehicle.mileage,
      };
    default:
      return undefined;
  }
}

/** The higher of two readings, either of which may be missing. */
export function maxDefined(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return Math.max(a, b);
}

/** The newer of two positions ({@link comparePositions}), either of which may be missing. */
export function newerPosition(
  a: Position | undefined,
  b: Position | undefined,
): Position | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return comparePositions(a, b) >= 0 ? a : b;
}

/** Builds a row leaving out absent parts, so equal rows are equal field by field. */
function row(
  vin: string,
  mileage: number,
  mileageAtOilChange: number | undefined,
  location: Position | undefined,
): Row {
  const built: { -readonly [K in keyof Row]: Row[K] } = { vin, mileage };
  if (mileageAtOilChange !== undefined) built.mileageAtOilChange = mileageAtOilChange;
  if (location !== undefined) built.location = location;
  return built;
}

/**
 * The join of two rows of the same truck: the highest mileage, the highest
 * mileage at oil change, the newest position. Throws a `RangeError` when the
 * VINs differ (a programming error, never a data error).
 *
 * @example
 * ```ts
 * import { merge } from "./row.ts";
 * const vin = "1HGCM82633A004352";
 * merge({ vin, mileage: 12418, mileageAtOilChange: 12418 }, { vin, mileage: 12453 });
 * // { vin, mileage: 12453, mileageAtOilChange: 12418 }
 * ```
 */
export function merge(a: Row, b: Row): Row {
  if (a.vin !== b.vin) throw new RangeError(`cannot merge rows of ${a.vin} and ${b.vin}`);
  return row(
    a.vin,
    Math.max(a.mileage, b.mileage),
    maxDefined(a.mileageAtOilChange, b.mileageAtOilChange),
    newerPosition(a.location, b.location),
  );
}

/**
 * Pre-aggregates a batch: one merged row per VIN, sorted by VIN. `undefined`
 * entries (events that map to nothing) are skipped.
 *
 * @example
 * ```ts
 * import { reduce } from "./row.ts";
 * reduce([{ vin: "JH4TB2H26CC000000", mileage: 7839 }, undefined, { vin: "JH4TB2H26CC000000", mileage: 7900 }]);
 * // [{ vin: "JH4TB2H26CC000000", mileage: 7900 }]
 * ```
 */
export function reduce(rows: Iterable<Row | undefined>): Row[] {
  const byVin = new Map<string, Row>();
  for (const next of rows) {
    if (next === undefined) continue;
    const seen = byVin.get(next.vin);
    byVin.set(next.vin, seen === undefined ? next : merge(seen, next));
  }
  return [...byVin.values()].sort((a, b) => (a.vin < b.vin ? -1 : a.vin > b.vin ? 1 : 0));
}

/**
 * Miles driven since the last oil change seen, or `undefined` before any.
 *
 * @example
 * ```ts
 * import { milesSinceOilChange } from "./row.ts";
 * milesSinceOilChange({ vin: "1HGCM82633A004352", mileage: 12453, mileageAtOilChange: 12418 }); // 35
 * ```
 */
export function milesSinceOilChange(row: Row): number | undefined {
  return row.mileageAtOilChange === undefined ? undefined : row.mileage - row.mileageAtOilChange;
}
