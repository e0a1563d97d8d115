/**
 * What the table is known to hold about a truck: a lower bound of its
 * stored item, part by part. Stored values only move forward, so a fact
 * about the table (the item it returned, or a write it accepted) stays a
 * lower bound forever after, and the join of two lower bounds is one too.
 *
 * Planning a write against such a bound (`planImprovements(row, known)`)
 * drops exactly the parts that do not beat it. A dropped part is at or below
 * the bound, so at or below the stored value: writing it would have changed
 * nothing. That is the whole safety argument, and it holds only while the
 * bound is one: an item deleted behind the writer's back (or a table
 * recreated under the same name) breaks it, which is why the shell that
 * keeps these bounds lets them expire.
 *
 * @module
 */

import type { StoredRow } from "./item.ts";
import type { Part } from "./plan.ts";
import { maxDefined, newerPosition, type Row } from "./row.ts";

/**
 * The join of two lower bounds of the same truck's item: per part, the
 * higher one; a part either knows is known.
 *
 * @example
 * ```ts
 * import { joinKnown } from "./known.ts";
 * joinKnown({ mileage: 120 }, { mileage: 100, mileageAtOilChange: 90 });
 * // { mileage: 120, mileageAtOilChange: 90 }
 * ```
 */
export function joinKnown(a: StoredRow, b: StoredRow): StoredRow {
  const joined: { -readonly [K in keyof StoredRow]: StoredRow[K] } = {};
  const vin = a.vin ?? b.vin;
  const mileage = maxDefined(a.mileage, b.mileage);
  const mileageAtOilChange = maxDefined(a.mileageAtOilChange, b.mileageAtOilChange);
  const location = newerPosition(a.location, b.location);
  if (vin !== undefined) joined.vin = vin;
  if (mileage !== undefined) joined.mileage = mileage;
  if (mileageAtOilChange !== undefined) joined.mileageAtOilChange = mileageAtOilChange;
  if (location !== undefined) joined.location = location;
  return joined;
}

/**
 * What is known after the table accepted a conditional write of `parts` of
 * `row`: the condition let each of them in, so the stored item now holds at
 * least those values, on top of what was `known` before.
 *
 * @example
 * ```ts
 * import { knownAfterWrite } from "./known.ts";
 * const vin = "1HGCM82633A004352";
 * knownAfterWrite({ vin, mileageAtOilChange: 90 }, { vin, mileage: 120, mileageAtOilChange: 80 }, ["mileage"]);
 * // { vin, mileage: 120, mileageAtOilChange: 90 }
 * ```
 */
export function knownAfterWrite(
  known: StoredRow | undefined,
  row: Row,
  parts: readonly Part[],
): StoredRow {
  const written: { -readonly [K in keyof StoredRow]: StoredRow[K] } = { vin: row.vin };
  for (const part of parts) {
    if (part === "mileage") written.mileage = row.mileage;
    else if (part === "mileageAtOilChange") written.mileageAtOilChange = row.mileageAtOilChange;
    else written.location = row.location;
  }
  return joinKnown(known ?? {}, written);
}
