/**
 * A Kinesis micro-batch read into the work it asks for: one pre-aggregated
 * row per truck, and the records that did not decode. Each truck keeps the
 * lowest sequence number of the records that fed its row, so that a failed
 * write can be replayed from there; that bookkeeping lives here, in the
 * shell, because it is about delivery, not about trucks.
 *
 * @module
 */

import type { KinesisStreamRecord } from "aws-lambda";
import { decode, map, type Row, reduce } from "../core/mod.ts";
import { lower } from "./sequence.ts";

/** A truck's row for this batch, and where a replay must start to rebuild it. */
export interface Truck {
  readonly row: Row;
  /** The lowest sequence number among the records merged into `row`. */
  readonly from: string;
}

/** A record that did not decode, with core's reason. */
export interface Reject {
  readonly record: KinesisStreamRecord;
  /** Dotted path of the field at fault; empty for the record as a whole. */
  readonly path: string;
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
  const from = new Map<string, string>();
  const rejects: Reject[] = [];
  let decoded = 0;
  for (const record of records) {
    const { data, sequenceNumber } = record.kinesis;
    const result = decode(Buffer.from(data ?? "", "base64"));
    if (!result.ok) {
      rejects.push({ record, path: result.path, reason: result.reason });
      continue;
    }
    decoded++;
    const row = map(result.event);
    if (row === undefined) continue;
    rows.push(row);
    const seen = from.get(row.vin);
    from.set(row.vin, seen === undefined ? sequenceNumber : lower(seen, sequenceNumber));
  }
  const trucks = reduce(rows).map((row) => ({ row, from: from.get(row.vin) as string }));
  return { trucks, rejects, decoded };
}
