/**
 * The conditional update of a truck's item, as plain data. A write goes
 * through only where the stored value is absent or not newer, so late,
 * duplicate and replayed events change nothing, whatever the order of writes.
 *
 * @module
 */

import { ATTRIBUTES, type StoredRow } from "./item.ts";
import { comparePositions, type Row } from "./row.ts";

/** The independently advancing parts of a row. */
export type Part = "mileage" | "mileageAtOilChange" | "location";

/** An `UpdateItem` request before marshalling. */
export interface WritePlan {
  readonly key: { readonly vin: string };
  /** The parts this write sets. */
  readonly parts: readonly Part[];
  /** `UpdateExpression`. */
  readonly update: string;
  /** `ConditionExpression`: every part absent or not newer than ours. */
  readonly condition: string;
  /** `ExpressionAttributeNames`. */
  readonly names: Readonly<Record<string, string>>;
  /** `ExpressionAttributeValues`, unmarshalled. */
  readonly values: Readonly<Record<string, string | number>>;
}

interface Clause {
  readonly set: string;
  readonly condition: string;
  readonly names: Record<string, string>;
  readonly values: Record<string, string | number>;
}

/** A count that only grows (an odometer reading): set where the stored one is absent or not higher. */
function rising(key: string, attribute: string, value: number): Clause {
  return {
    set: `#${key} = :${key}`,
    condition: `(attribute_not_exists(#${key}) OR #${key} <= :${key})`,
    names: { [`#${key}`]: attribute },
    values: { [`:${key}`]: value },
  };
}

/** SET and guard of one part; `undefined` when the row lacks it. */
function clause(row: Row, part: Part): Clause | undefined {
  switch (part) {
    case "mileage":
      return rising("m", ATTRIBUTES.mileage, row.mileage);
    case "mileageAtOilChange":
      return row.mileageAtOilChange === undefined
        ? undefined
        : rising("oil", ATTRIBUTES.mileageAtOilChange, row.mileageAtOilChange);
    case "location":
      return row.location === undefined
        ? undefined
        : {
            set: "#ts = :ts, #lat = :lat, #lon = :lon",
            // (timestamp, latitude, longitude) compared lexicographically.
            condition:
              "(attribute_not_exists(#ts) OR #ts < :ts OR (#ts = :ts AND " +
              "(#lat < :lat OR (#lat = :lat AND #lon <= :lon))))",
            names: {
              "#ts": ATTRIBUTES.timestamp,
              "#lat": ATTRIBUTES.latitude,
              "#lon": ATTRIBUTES.longitude,
            },
            values: {
              ":ts": row.location.timestamp,
              ":lat": row.location.latitude,
              ":lon": row.location.longitude,
            },
          };
  }
}

const PARTS: readonly Part[] = ["mileage", "mileageAtOilChange", "location"];

/**
 * The conditional update for the given parts of `row` (all it has by
 * default): one request that sets them all, guarded by all their conditions.
 *
 * @example
 * ```ts
 * import { plan } from "./plan.ts";
 * const p = plan({ vin: "1HGCM82633A004352", mileage: 12453 });
 * p.update; // "SET #m = :m"
 * p.condition; // "(attribute_not_exists(#m) OR #m <= :m)"
 * p.values; // { ":m": 12453 }
 * ```
 */
export function plan(row: Row, parts: readonly Part[] = PARTS): WritePlan {
  const used: Part[] = [];
  const clauses: Clause[] = [];
  for (const part of PARTS) {
    const c = parts.includes(part) ? clause(row, part) : undefined;
    if (c === undefined) continue;
    used.push(part);
    clauses.push(c);
  }
  return {
    key: { vin: row.vin },
    parts: used,
    update: `SET ${clauses.map((c) => c.set).join(", ")}`,
    condition: clauses.map((c) => c.condition).join(" AND "),
    names: Object.assign({}, ...clauses.map((c) => c.names)),
    values: Object.assign({}, ...clauses.map((c) => c.values)),
  };
}

/** Whether `row`'s part is strictly newer than the stored one (or the stored one is missing). */
function improves(row: Row, stored: StoredRow, part: Part): boolean {
  switch (part) {
    case "mileage":
      return stored.mileage === undefined || row.mileage > stored.mileage;
    case "mileageAtOilChange":
      return (
        row.mileageAtOilChange !== undefined &&
        (stored.mileageAtOilChange === undefined ||
          row.mileageAtOilChange > stored.mileageAtOilChange)
      );
    case "location":
      return (
        row.location !== undefined &&
        (stored.location === undefined || comparePositions(row.location, stored.location) > 0)
      );
  }
}

/**
 * The update of only the parts of `row` that beat `stored`, each still
 * guarded (a concurrent writer may have moved on since): `undefined` when
 * nothing beats it, and no write is needed. `stored` is what the table is
 * known to hold: the item returned with a refused write, or any lower bound
 * of it (`known.ts`), against which a dropped part could not have improved
 * the table either. Against nothing, it is {@link plan} of every part.
 *
 * @example
 * ```ts
 * import { planImprovements } from "./plan.ts";
 * const vin = "1HGCM82633A004352";
 * planImprovements({ vin, mileage: 100, mileageAtOilChange: 100 }, { vin, mileage: 120 })?.parts;
 * // ["mileageAtOilChange"]
 * planImprovements({ vin, mileage: 100 }, { vin, mileage: 120 }); // undefined
 * ```
 */
export function planImprovements(row: Row, stored: StoredRow | undefined): WritePlan | undefined {
  const parts = PARTS.filter((part) => improves(row, stored ?? {}, part));
  return parts.length === 0 ? undefined : plan(row, parts);
}
