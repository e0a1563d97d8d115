/**
 * The container's floor: per table and VIN, what the table is known to hold
 * (core's `known.ts`), so that a write plans only the parts that beat it and
 * a truck whose row beats nothing is not written at all. A backwards or
 * replayed batch on a warm container then costs no request instead of one
 * refused write (billed like any write) per truck.
 *
 * Safety. An entry only ever comes from facts about the table: the item
 * returned with a refused write, or read consistently after one (the
 * stored item at that moment), and each write the table accepted (the
 * stored parts are now at least the written ones). Stored values only move
 * forward, so every entry is a lower bound of the stored item for as long as
 * nobody but conditional writers touches the table; a part at or below it
 * could not improve the table, so dropping it changes nothing. That holds
 * for any number of containers writing the same trucks (each one's facts
 * stay true whatever the others write: they can only raise the table) and
 * for replays (a replayed part is at or below what it once wrote).
 *
 * The one case that breaks it: items deleted, or the table deleted and
 * recreated under the same name, behind the function's back. A warm
 * container then keeps dropping parts that do not beat what the old table
 * held, for at most `ttlMs` after its oldest fact of the truck: an entry
 * expires that long after it was first learned (later writes raise it but do
 * not extend it), and a refused write replaces it with the table's actual
 * item. Entries are keyed by table name, so another table never shares
 * them, and a new deployment starts with new containers. What was dropped
 * in that window is still in the archive: `make replay` writes it back.
 *
 * Memory is bounded: at most `maxTrucks` entries (about 400 bytes each),
 * the least recently used evicted first (a forgotten truck just costs a
 * write planned against nothing, as on a cold start). `maxTrucks` 0 turns
 * the floor off.
 *
 * @module
 */

import { knownAfterWrite, type Part, type Row, type StoredRow } from "../core/mod.ts";

/** The container's knowledge of its tables. */
export interface Floor {
  /** What `table` is known to hold for `vin`; `undefined` when nothing (or nothing recent) is. */
  known(table: string, vin: string): StoredRow | undefined;
  /** The table accepted a conditional write of these parts of `row`. */
  wrote(table: string, row: Row, parts: readonly Part[]): void;
  /** The table holds `stored` for `vin` (`{}`: no item): returned with a refusal, or read after one. */
  saw(table: string, vin: string, stored: StoredRow): void;
  /** Entries held (expired ones included until they are looked up or evicted). */
  readonly size: number;
}

export interface FloorOptions {
  /** Most trucks remembered; 0 remembers none. */
  readonly maxTrucks: number;
  /** How long a truck's oldest fact is trusted, in milliseconds. */
  readonly ttlMs: number;
  /** Milliseconds since the epoch (tests pass their own clock). */
  readonly now?: () => number;
}

interface Entry {
  readonly known: StoredRow;
  /** When the oldest fact in `known` was learned. */
  readonly since: number;
}

/** A new, empty floor. */
export function createFloor({ maxTrucks, ttlMs, now = Date.now }: FloorOptions): Floor {
  // A Map iterates in insertion order: re-inserting on use keeps the least recently used first.
  const entries = new Map<string, Entry>();
  const keyOf = (table: string, vin: string) => `${table}\n${vin}`;
  const put = (key: string, entry: Entry) => {
    entries.delete(key);
    entries.set(key, entry);
    if (entries.size > maxTrucks) entries.delete(entries.keys().next().value as string);
  };
  const fresh = (key: string): Entry | undefined => {
    const entry = entries.get(key);
    if (entry === undefined || now() - entry.since < ttlMs) return entry;
    entries.delete(key);
    return undefined;
  };
  return {
    known(table, vin) {
      const key = keyOf(table, vin);
      const entry = fresh(key);
      if (entry !== undefined) put(key, entry);
      return entry?.known;
    },
    wrote(table, row, parts) {
      const key = keyOf(table, row.vin);
      const entry = fresh(key);
      put(key, {
        known: knownAfterWrite(entry?.known, row, parts),
        since: entry?.since ?? now(),
      });
    },
    saw(table, vin, stored) {
      // The stored item as of now replaces what was known: a fresh fact, and one that
      // corrects an entry made stale by a deletion.
      put(keyOf(table, vin), { known: stored, since: now() });
    },
    get size() {
      return entries.size;
    },
  };
}
