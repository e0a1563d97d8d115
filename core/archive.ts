/**
 * Where the archive keeps the raw events: Kinesis Data Firehose's layout, the
 * same on AWS and in `make local`. Objects are gzipped, hold the records
 * byte for byte, one per line, and sit in hour partitions named after the
 * arrival time of their oldest record:
 *
 *   events/year=2018/month=01/day=12/hour=12/oops-events-archive-1-2018-01-12-12-42-00-<id>.gz
 *
 * Keys sort as times do (fixed-width, zero-padded), so a time window is a
 * range of keys. An object may also hold records that arrived up to one
 * buffer interval after its partition's hour (Firehose fills a buffer, then
 * names the object after its oldest record), so a window starts that much
 * earlier; replaying a few records too many is harmless, since every write
 * is conditional.
 *
 * @module
 */

/** The prefix of the archived events; Firehose's failed deliveries go under `errors/`. */
export const ARCHIVE_PREFIX = "events/";

/** The longest a Firehose buffer waits (900 s): how much earlier than a window its records may sit. */
export const MAX_BUFFER_MS = 900_000;

const HOUR_MS = 3_600_000;
const PARTITION = /^events\/year=(\d{4})\/month=(\d{2})\/day=(\d{2})\/hour=(\d{2})\//;

const two = (n: number) => String(n).padStart(2, "0");

/**
 * The partition (key prefix) of the hour that holds `time` (epoch ms), UTC.
 *
 * @example
 * ```ts
 * import { partitionOf } from "./archive.ts";
 * partitionOf(Date.UTC(2018, 0, 12, 12, 42)); // "events/year=2018/month=01/day=12/hour=12/"
 * ```
 */
export function partitionOf(time: number): string {
  const d = new Date(time);
  const day = `year=${d.getUTCFullYear()}/month=${two(d.getUTCMonth() + 1)}/day=${two(d.getUTCDate())}`;
  return `${ARCHIVE_PREFIX}${day}/hour=${two(d.getUTCHours())}/`;
}

/**
 * The key of a new object: Firehose's name, `<delivery stream>-1-<oldest
 * arrival, YYYY-MM-DD-HH-mm-ss>-<id>.gz`, in the partition of its oldest record.
 *
 * @example
 * ```ts
 * import { objectKey } from "./archive.ts";
 * objectKey("oops-events-archive", Date.UTC(2018, 0, 12, 12, 42), "0a1b");
 * // "events/year=2018/month=01/day=12/hour=12/oops-events-archive-1-2018-01-12-12-42-00-0a1b.gz"
 * ```
 */
export function objectKey(deliveryStream: string, oldestArrival: number, id: string): string {
  const stamp = new Date(oldestArrival).toISOString().slice(0, 19).replace(/[-T:]/g, "-");
  return `${partitionOf(oldestArrival)}${deliveryStream}-1-${stamp}-${id}.gz`;
}

/** The hour (epoch ms) a key's partition names, or `undefined` for a key outside the layout. */
export function partitionTime(key: string): number | undefined {
  const match = PARTITION.exec(key);
  if (match === null) return undefined;
  const [, year, month, day, hour] = match.map(Number) as [number, number, number, number, number];
  const time = Date.UTC(year, month - 1, day, hour);
  // Date.UTC rolls month 13 into the next year: such a key is not one of ours.
  return partitionOf(time) === match[0] ? time : undefined;
}

/** Arrival times to replay, epoch ms; an open end is unbounded. */
export interface Window {
  readonly from?: number | undefined;
  readonly to?: number | undefined;
}

/**
 * The range of keys whose objects may hold records that arrived within
 * `window`: from the partition one buffer interval before `from`, to the end
 * of `to`'s partition. `after` is a `StartAfter` for a listing (the bare
 * partition prefix sorts before every key in it); a key is in the range
 * while it sorts before `before`.
 *
 * @example
 * ```ts
 * import { keyRange } from "./archive.ts";
 * keyRange({ from: Date.UTC(2018, 0, 12, 12, 5), to: Date.UTC(2018, 0, 12, 13, 30) });
 * // { after: "events/year=2018/month=01/day=12/hour=11/", before: "events/year=2018/month=01/day=12/hour=14/" }
 * ```
 */
export function keyRange(window: Window): { after: string; before: string } {
  const after =
    window.from === undefined ? ARCHIVE_PREFIX : partitionOf(window.from - MAX_BUFFER_MS);
  // "events0" is the first string after every "events/…" key.
  const before = window.to === undefined ? "events0" : partitionOf(window.to + HOUR_MS);
  return { after, before };
}
