/**
 * A replay's reckoning: every record read (from archive objects, or from
 * the stream), decoded and reduced into one row per truck, with what could
 * not be used counted by reason and located. Because the table is a pure
 * function of the set of valid events, the rows at the end are what the
 * table must hold for the records read, whatever their order or how often
 * each was read.
 *
 * @module
 */

import { decodeArchive } from "./archive_lines.ts";
import type { DecodeResult } from "./decode.ts";
import { decode } from "./decode.ts";
import { type Item, toItem } from "./item.ts";
import { map, merge, type Row, reduce } from "./row.ts";

/** Kept per reason: this many places where it happened, to look at. */
const EXAMPLES = 3;

/** Records refused at one field: how many, and where the first ones are. */
export interface RejectsAt {
  count: number;
  /** `key:line` in the archive, or `shardId/sequenceNumber` on the stream. */
  readonly examples: string[];
}

/** A replay's running totals. */
export interface Tally {
  /** Records read, valid or not. */
  events: number;
  /** Valid events (truck and driver events alike). */
  valid: number;
  /** The rows so far, one per VIN. */
  readonly rows: Map<string, Row>;
  /** Invalid records by field: the rejection's path (`record` for the whole record). */
  readonly rejected: Map<string, RejectsAt>;
  /** Objects that could not be read at all, with why (a corrupt gzip, a foreign object). */
  readonly unreadable: { readonly key: string; readonly problem: string }[];
}

/** A tally of nothing yet. */
export function newTally(): Tally {
  return { events: 0, valid: 0, rows: new Map(), rejected: new Map(), unreadable: [] };
}

function add(tally: Tally, result: DecodeResult, where: string): void {
  tally.events++;
  if (!result.ok) {
    const key = result.path || "record";
    const at = tally.rejected.get(key) ?? { count: 0, examples: [] };
    at.count++;
    if (at.examples.length < EXAMPLES) at.examples.push(`${where}: ${result.reason}`);
    tally.rejected.set(key, at);
    return;
  }
  tally.valid++;
  const row = map(result.event);
  if (row === undefined) return;
  const seen = tally.rows.get(row.vin);
  tally.rows.set(row.vin, seen === undefined ? row : merge(seen, row));
}

/**
 * Adds the records of one (decompressed) archive object.
 *
 * @example
 * ```ts
 * import { addObject, newTally } from "./tally.ts";
 * const tally = newTally();
 * addObject(tally, "events/year=2018/month=01/day=12/hour=12/x.gz", new TextEncoder().encode("nope\n"));
 * tally.rejected.get("record")?.examples; // ["events/year=2018/month=01/day=12/hour=12/x.gz:1: record: expected one JSON document, ..."]
 * ```
 */
export function addObject(tally: Tally, key: string, bytes: Uint8Array): void {
  for (const { line, result } of decodeArchive(bytes)) add(tally, result, `${key}:${line}`);
}

/** Adds one record read from the stream, `where` naming it (shard and sequence number). */
export function addRecord(tally: Tally, where: string, data: Uint8Array): void {
  add(tally, decode(data), where);
}

/** An object that could not be read: counted, never fatal. */
export function addUnreadable(tally: Tally, key: string, problem: string): void {
  tally.unreadable.push({ key, problem });
}

/** The table the records read make: one item per truck, sorted by VIN. */
export function truth(tally: Tally): Item[] {
  return reduce(tally.rows.values()).map(toItem);
}
