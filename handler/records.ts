/**
 * A Kinesis micro-batch read into the work it asks for: one pre-aggregated
 * row per truck, and the records that did not decode. Each truck keeps the
 * records that fed its row: a failed write is replayed from the lowest of
 * their sequence numbers, and a write the table refuses for good sends them
 * to the rejects. That bookkeeping lives here, in the shell, because it is
 * about delivery, not about trucks.
 *
 * @module
 */

import type { KinesisStreamRecord } from "aws-lambda";
import { type RejectGroup as CoreRejectGroup, decode, map, type Row, reduce } from "../core/mod.ts";
import { lowest } from "./sequence.ts";

/** A truck's row for this batch, and the records it came from. */
export interface Truck {
  readonly row: Row;
  /** The records merged into `row`, in batch order: what goes to the rejects if the table refuses it. */
  readonly records: readonly KinesisStreamRecord[];
}

/**
 * Where a replay of the truck must start: the lowest sequence number among
 * its records. Worked out only for a truck not written (comparing sequence
 * numbers as BigInts is not free on every record of every batch).
 */
export function replayFrom(truck: Truck): string {
  return lowest(truck.records.map((record) => record.kinesis.sequenceNumber)) as string;
}

/**
 * Why records go to the rejects: core's groups for records that do not
 * decode, and `unwritable` for those of a truck the table refused for good.
 */
export type RejectGroup = CoreRejectGroup | "unwritable";

/** A record sent to the rejects, with the reason. */
export interface Reject {
  readonly record: KinesisStreamRecord;
  /** Dotted path of the field at fault; empty for the record as a whole. */
  readonly path: string;
  readonly group: RejectGroup;
  readonly reason: string;
}

/** What a batch asks for. */
export interface Batch {
  /** One per VIN, sorted by VIN. */
  readonly trucks: readonly Truck[];
  readonly rejects: readonly Reject[];
  /** Records that decoded (truck and driver events alike). */
  readonly decoded: number;
}

/** The shard of a record, from its `eventID` (`shardId-000000000000:<sequence number>`). */
export function shardIdOf(record: KinesisStreamRecord): string {
  const id = record.eventID ?? "";
  const colon = id.indexOf(":");
  return colon < 0 ? id : id.slice(0, colon);
}

/** Decodes every record (`kinesis.data` is base64), maps and reduces the truck events per VIN. */
export function readBatch(records: readonly KinesisStreamRecord[]): Batch {
  const rows: Row[] = [];
  const sources = new Map<string, KinesisStreamRecord[]>();
  const rejects: Reject[] = [];
  let decoded = 0;
  for (const record of records) {
    const result = decode(Buffer.from(record.kinesis.data ?? "", "base64"));
    if (!result.ok) {
      rejects.push({ record, path: result.path, group: result.group, reason: result.reason });
      continue;
    }
    decoded++;
    const row = map(result.event);
    if (row === undefined) continue;
    rows.push(row);
    const list = sources.get(row.vin);
    if (list === undefined) sources.set(row.vin, [record]);
    else list.push(record);
  }
  const trucks = reduce(rows).map((row) => ({
    row,
    records: sources.get(row.vin) as KinesisStreamRecord[],
  }));
  return { trucks, rejects, decoded };
}
