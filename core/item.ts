/**
 * The DynamoDB item of a truck, with the exact attribute names of the design
 * card, as plain JavaScript values (marshalling is the shell's job).
 *
 * @module
 */

import type { Position, Row } from "./row.ts";

/** Table attribute names, keyed by the {@link Row} field they store. */
export const ATTRIBUTES = {
  vin: "vin",
  mileage: "mileage",
  mileageAtOilChange: "mileage-at-oil-change",
  timestamp: "location-timestamp",
  latitude: "latitude",
  longitude: "longitude",
} as const;

/**
 * Whether DynamoDB can store `n` as a number: 0, or a magnitude from 1e-130
 * to below 1e126. (Its other limit, 38 significant digits, never binds: a
 * double's shortest decimal form has at most 17.) Anything else is refused
 * with a `ValidationException` that no retry can fix.
 *
 * @example
 * ```ts
 * import { isStorableNumber } from "./item.ts";
 * isStorableNumber(51.5); // true
 * isStorableNumber(1e-200); // false
 * ```
 */
export function isStorableNumber(n: number): boolean {
  const magnitude = Math.abs(n);
  return magnitude === 0 || (magnitude >= 1e-130 && magnitude < 1e126);
}

/** A table item: attribute name to string or number. */
export type Item = Readonly<Record<string, unknown>>;

/** What a stored item says about a truck; any part may be missing. */
export type StoredRow = Partial<Row>;

/**
 * The item that stores `row`.
 *
 * @example
 * ```ts
 * import { toItem } from "./item.ts";
 * toItem({ vin: "1HGCM82633A004352", mileage: 12453, mileageAtOilChange: 12418 });
 * // { vin: "1HGCM82633A004352", mileage: 12453, "mileage-at-oil-change": 12418 }
 * ```
 */
export function toItem(row: Row): Record<string, string | number> {
  const item: Record<string, string | number> = {
    [ATTRIBUTES.vin]: row.vin,
    [ATTRIBUTES.mileage]: row.mileage,
  };
  if (row.mileageAtOilChange !== undefined) {
    item[ATTRIBUTES.mileageAtOilChange] = row.mileageAtOilChange;
  }
  if (row.location !== undefined) {
    item[ATTRIBUTES.timestamp] = row.location.timestamp;
    item[ATTRIBUTES.latitude] = row.location.latitude;
    item[ATTRIBUTES.longitude] = row.location.longitude;
  }
  return item;
}

const numberAt = (item: Item, name: string) =>
  typeof item[name] === "number" ? (item[name] as number) : undefined;

/**
 * Reads a stored item back into the parts of a row it holds. Attributes of the
 * wrong type count as missing.
 *
 * @example
 * ```ts
 * import { fromItem } from "./item.ts";
 * fromItem({ vin: "1HGCM82633A004352", mileage: 12453 }); // { vin: "1HGCM82633A004352", mileage: 12453 }
 * ```
 */
export function fromItem(item: Item): StoredRow {
  const vin =
    typeof item[ATTRIBUTES.vin] === "string" ? (item[ATTRIBUTES.vin] as string) : undefined;
  const mileage = numberAt(item, ATTRIBUTES.mileage);
  const mileageAtOilChange = numberAt(item, ATTRIBUTES.mileageAtOilChange);
  const timestamp = item[ATTRIBUTES.timestamp];
  const latitude = numberAt(item, ATTRIBUTES.latitude);
  const longitude = numberAt(item, ATTRIBUTES.longitude);
  const location: Position | undefined =
    typeof timestamp === "string" && latitude !== undefined && longitude !== undefined
      ? { timestamp, latitude, longitude }
      : undefined;
  return {
    ...(vin === undefined ? {} : { vin }),
    ...(mileage === undefined ? {} : { mileage }),
    ...(mileageAtOilChange === undefined ? {} : { mileageAtOilChange }),
    ...(location === undefined ? {} : { location }),
  };
}
