/**
 * The functional core of OOPS truck status: decode events, map them to rows,
 * merge and reduce rows per truck, and plan the conditional writes that keep
 * the table correct under late, duplicate and concurrent delivery. Pure and
 * dependency-free: runs unchanged on Node, Deno and in a browser.
 *
 * @example
 * ```ts
 * import { decode, map, plan, reduce } from "./mod.ts";
 * const records = ['{"event":"TRUCK_DEPARTS","timestamp":"2018-01-12T12:42:00Z",' +
 *   '"vehicle":{"vin":"1HGCM82633A004352","mileage":33207},' +
 *   '"location":{"latitude":51.522834,"longitude":-0.081813,"elevation":7}}'];
 * const rows = reduce(records.map(decode).map((d) => (d.ok ? map(d.event) : undefined)));
 * rows.map((row) => plan(row).update); // ["SET #m = :m, #ts = :ts, #lat = :lat, #lon = :lon"]
 * ```
 *
 * @module
 */

export {
  type Decoded,
  type DecodeResult,
  decode,
  type RejectGroup,
  type Rejection,
} from "./decode.ts";
export * from "./event.ts";
export {
  ATTRIBUTES,
  fromItem,
  type Item,
  type StoredRow,
  toItem,
} from "./item.ts";
export { joinKnown, knownAfterWrite } from "./known.ts";
export { type Part, plan, planImprovements, type WritePlan } from "./plan.ts";
export {
  comparePositions,
  map,
  merge,
  milesSinceOilChange,
  type Position,
  type Row,
  reduce,
} from "./row.ts";
export { normaliseTimestamp } from "./timestamp.ts";
