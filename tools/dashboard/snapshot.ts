/**
 * A snapshot of the truck table as the dashboard serves it: the rows turned
 * into {@link TruckView}s, serialised once, and named by a hash of their
 * bytes. Serialising once is what lets a thousand viewers share one buffer,
 * and the hash is both the strong ETag of `/api/trucks` and the change test
 * that decides whether viewers get a push.
 *
 * @module
 */
import { createHash } from "node:crypto";
import type { Item } from "../../core/mod.ts";
import { fromItem, milesSinceOilChange } from "../../core/mod.ts";
import type { TrucksBody, TruckView } from "./wire.ts";

/** A serialised table, ready to send. */
export type Snapshot = {
  /** UTF-8 JSON of a {@link TrucksBody}. */
  body: Buffer;
  /** Content hash of `body` (base64url SHA-256); equal tables, equal hashes. */
  hash: string;
  /** `"<hash>"`: a strong ETag, since equal hashes mean byte-equal bodies. */
  etag: string;
  trucks: number;
};

/** Page settings that travel with the data (see {@link TrucksBody}). */
export type ViewSettings = { serviceInterval: number; heartbeatMs: number };

/** What the page shows of one stored item; undefined for an item without a string VIN. */
export function truckView(item: Item, serviceInterval: number): TruckView | undefined {
  const row = fromItem(item);
  if (row.vin === undefined) return undefined;
  const { vin, mileage } = row;
  const miles = mileage === undefined ? undefined : milesSinceOilChange({ ...row, vin, mileage });
  return {
    vin: row.vin,
    latitude: row.location?.latitude ?? null,
    longitude: row.location?.longitude ?? null,
    locationTimestamp: row.location?.timestamp ?? null,
    mileage: row.mileage ?? null,
    mileageAtOilChange: row.mileageAtOilChange ?? null,
    milesSinceOilChange: miles ?? null,
    due: miles !== undefined && miles >= serviceInterval,
  };
}

/**
 * JSON that stays inert even if something ever treats it as HTML: `<`, `>`
 * and `&` (and the two line separators old JavaScript parsers choke on) are
 * written as `\u` escapes, which JSON.parse reads back unchanged.
 */
export function safeJson(value: unknown): string {
  return JSON.stringify(value).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

/** Builds the snapshot of a scanned table (items in any order). */
export function snapshot(items: readonly Item[], settings: ViewSettings): Snapshot {
  const trucks = items
    .map((item) => truckView(item, settings.serviceInterval))
    .filter((t): t is TruckView => t !== undefined)
    .sort((a, b) => (a.vin < b.vin ? -1 : a.vin > b.vin ? 1 : 0));
  const payload: TrucksBody = { ...settings, trucks };
  const body = Buffer.from(safeJson(payload));
  const hash = createHash("sha256").update(body).digest("base64url");
  return { body, hash, etag: `"${hash}"`, trucks: trucks.length };
}
