/**
 * What differs between two truck tables, per truck and attribute: what a
 * bug broke (a table against the archive's truth), or what a rebuild
 * changed (the old table against the new one).
 *
 * @module
 */

import { ATTRIBUTES, type Item } from "./item.ts";

/** One attribute of one truck that the two sides hold differently (`undefined`: absent). */
export interface Difference {
  readonly vin: string;
  readonly attribute: string;
  readonly left: unknown;
  readonly right: unknown;
}

/**
 * The attributes to compare: the design card's first, in its order, then
 * any other by name. The key itself only when the truck is on one side
 * only, so that such a truck differs even when it holds nothing else.
 */
function attributesOf(a: Item | undefined, b: Item | undefined): string[] {
  const known: string[] = Object.values(ATTRIBUTES);
  const others = new Set([...Object.keys(a ?? {}), ...Object.keys(b ?? {})]);
  for (const name of known) others.delete(name);
  const both = a !== undefined && b !== undefined;
  return [...known.filter((name) => name !== ATTRIBUTES.vin || !both), ...[...others].sort()];
}

function byVin(items: readonly Item[]): Map<string, Item> {
  return new Map(items.map((item) => [String(item[ATTRIBUTES.vin]), item]));
}

/**
 * Every (truck, attribute) whose value differs between `left` and `right`,
 * by VIN, then in the design card's attribute order. A truck on one side
 * only differs in its key (`vin`) and every attribute it holds.
 *
 * @example
 * ```ts
 * import { diffTables } from "./diff.ts";
 * const vin = "1HGCM82633A004352";
 * diffTables([{ vin, mileage: 99999 }], [{ vin, mileage: 12453 }]);
 * // [{ vin, attribute: "mileage", left: 99999, right: 12453 }]
 * ```
 */
export function diffTables(left: readonly Item[], right: readonly Item[]): Difference[] {
  const [a, b] = [byVin(left), byVin(right)];
  const vins = [...new Set([...a.keys(), ...b.keys()])].sort();
  return vins.flatMap((vin) => {
    const [x, y] = [a.get(vin), b.get(vin)];
    return attributesOf(x, y)
      .filter((attribute) => x?.[attribute] !== y?.[attribute])
      .map((attribute) => ({ vin, attribute, left: x?.[attribute], right: y?.[attribute] }));
  });
}

/** The parts of a row: a location's three attributes move together, with its timestamp. */
const LOCATION: readonly string[] = [
  ATTRIBUTES.timestamp,
  ATTRIBUTES.latitude,
  ATTRIBUTES.longitude,
];

/** Whether `right` holds a newer value than `left` (absent is oldest; numbers and timestamps by order). */
function newer(left: unknown, right: unknown): boolean {
  if (right === undefined) return false;
  if (left === undefined) return true;
  return typeof left === typeof right && (left as number | string) < (right as number | string);
}

/**
 * The differences split by direction: `advanced` where the right side is
 * ahead (a later table that kept taking events), `corrected` where it is
 * behind or elsewhere (what the left side held wrongly: a mileage too high,
 * a location from the future). A location's coordinates go with its
 * timestamp.
 *
 * @example
 * ```ts
 * import { byDirection } from "./diff.ts";
 * const vin = "1HGCM82633A004352";
 * byDirection([{ vin, attribute: "mileage", left: 99999, right: 12453 }]).corrected.length; // 1
 * ```
 */
export function byDirection(differences: readonly Difference[]): {
  advanced: Difference[];
  corrected: Difference[];
} {
  const byKey = new Map(differences.map((d) => [`${d.vin}\n${d.attribute}`, d]));
  const of = (vin: string, attribute: string) => byKey.get(`${vin}\n${attribute}`);
  const ahead = (d: Difference): boolean => {
    if (!LOCATION.includes(d.attribute) || d.attribute === ATTRIBUTES.timestamp) {
      return newer(d.left, d.right);
    }
    // Compared as merge compares positions: the timestamp first, then latitude, then longitude.
    const decides = of(d.vin, ATTRIBUTES.timestamp) ?? of(d.vin, ATTRIBUTES.latitude) ?? d;
    return newer(decides.left, decides.right);
  };
  const split = { advanced: [] as Difference[], corrected: [] as Difference[] };
  for (const d of differences) (ahead(d) ? split.advanced : split.corrected).push(d);
  return split;
}
