/**
 * An independent oracle for the truck table, for tests only: a brute-force
 * fold over every event, written without `merge`, `reduce` or `plan`, giving
 * the table as items with the design card's attribute names.
 *
 * @module
 */

import { decode } from "../decode.ts";
import type { OopsEvent } from "../event.ts";

/** A table item keyed by the design card's attribute names. */
export type OracleItem = Record<string, string | number>;

type Fix = [timestamp: string, latitude: number, longitude: number];

function later(a: Fix, b: Fix): boolean {
  for (let i = 0; i < 3; i++) {
    if (a[i] !== b[i]) return (a[i] as string | number) > (b[i] as string | number);
  }
  return false;
}

/** The table that the set of `events` must produce, sorted by VIN. */
export function oracleTable(events: Iterable<OopsEvent>): OracleItem[] {
  const mileage = new Map<string, number>();
  const oil = new Map<string, number>();
  const fix = new Map<string, Fix>();
  for (const e of events) {
    if (!("vehicle" in e)) continue;
    const { vin, mileage: miles } = e.vehicle;
    mileage.set(vin, Math.max(miles, mileage.get(vin) ?? -1));
    if (e.event === "MECHANIC_CHANGES_OIL") oil.set(vin, Math.max(miles, oil.get(vin) ?? -1));
    if ("location" in e) {
      const candidate: Fix = [e.timestamp, e.location.latitude, e.location.longitude];
      const current = fix.get(vin);
      if (current === undefined || later(candidate, current)) fix.set(vin, candidate);
    }
  }
  return [...mileage.keys()].sort().map((vin) => {
    const item: OracleItem = { vin, mileage: mileage.get(vin) as number };
    const o = oil.get(vin);
    if (o !== undefined) item["mileage-at-oil-change"] = o;
    const f = fix.get(vin);
    if (f !== undefined) {
      item["location-timestamp"] = f[0];
      item.latitude = f[1];
      item.longitude = f[2];
    }
    return item;
  });
}

const utf8 = new TextEncoder();

/** The events as the handler sees them: wire JSON through core's decoder (timestamps normalised). */
export function decodedAll(events: Iterable<OopsEvent>): OopsEvent[] {
  return [...events].map((event) => {
    const result = decode(utf8.encode(JSON.stringify(event)));
    if (!result.ok) throw new Error(`generated an invalid event: ${result.reason}`);
    return result.event;
  });
}

/** The table the pipeline must produce from `events` (wire format). */
export function expectedTable(events: Iterable<OopsEvent>): OracleItem[] {
  return oracleTable(decodedAll(events));
}
