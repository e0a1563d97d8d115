/**
 * Records that do not decode: never written to the table, never failing the
 * batch, never lost. They go to the rejects stream as JSON envelopes carrying
 * the original bytes, the reason and where they came from, so that they can
 * be inspected and replayed; with no rejects stream, the log is their copy.
 *
 * A replay of the source batch (after some other failure) sends its rejects
 * again: the rejects stream is at-least-once too, and `shardId` plus
 * `sequenceNumber` identify duplicates.
 *
 * @module
 */

import type { KinesisClient } from "@aws-sdk/client-kinesis";
import type { Log } from "./log.ts";
import { type Entry, putRecords } from "./put_records.ts";
import { type Reject, type RejectGroup, shardIdOf } from "./records.ts";

/** A rejected record as it travels on the rejects stream (JSON). */
export interface Envelope {
  /** The record's data, base64, exactly as received (cut short only if `truncated`). */
  readonly data: string;
  readonly reason: string;
  /** Dotted path of the field at fault; empty for the record as a whole. */
  readonly path: string;
  /** One of a fixed set: malformed, unknown-event, invalid-field, unwritable. */
  readonly group: RejectGroup;
  readonly sequenceNumber: string;
  readonly shardId: string;
  readonly partitionKey: string;
  /** ISO-8601, UTC. */
  readonly approximateArrivalTimestamp: string;
  readonly eventSourceARN: string;
  /** Present when `data` was cut to fit a Kinesis record; the source record still has it all. */
  readonly truncated?: true;
}

/** Kinesis's limit on one record: data plus partition key. */
const MAX_RECORD_BYTES = 1024 * 1024;

const utf8 = new TextEncoder();

/** The envelope of a rejected record. */
export function envelope({ record, path, group, reason }: Reject): Envelope {
  const { data, sequenceNumber, partitionKey, approximateArrivalTimestamp } = record.kinesis;
  return {
    data,
    reason,
    path,
    group,
    sequenceNumber,
    shardId: shardIdOf(record),
    partitionKey,
    approximateArrivalTimestamp: new Date(approximateArrivalTimestamp * 1000).toISOString(),
    eventSourceARN: record.eventSourceARN,
  };
}

/**
 * The envelope as record data, within Kinesis's 1 MiB limit on data plus
 * partition key. A source record can itself be 1 MiB, so its base64 may not
 * fit: it is then cut at a 4-character boundary (still valid base64) and
 * marked `truncated`; `shardId` and `sequenceNumber` find the whole of it.
 */
function encode(e: Envelope, partitionKey: string): Uint8Array {
  const whole = utf8.encode(JSON.stringify(e));
  const room = MAX_RECORD_BYTES - partitionKey.length;
  if (whole.byteLength <= room) return whole;
  const cut = { ...e, data: "", truncated: true as const };
  const free = Math.max(0, room - utf8.encode(JSON.stringify(cut)).byteLength);
  return utf8.encode(JSON.stringify({ ...cut, data: e.data.slice(0, free - (free % 4)) }));
}

/** A reject as a PutRecords entry, and the reject it carries. */
interface RejectEntry extends Entry {
  readonly reject: Reject;
}

function entryOf(reject: Reject): RejectEntry {
  // Sequence numbers (ASCII digits) spread rejects over the shards: they need no order.
  const partitionKey = reject.record.kinesis.sequenceNumber;
  return { reject, partitionKey, data: encode(envelope(reject), partitionKey) };
}

/** Where rejects go: a stream, or (without one) the log. */
export interface RejectsOutlet {
  readonly kinesis?: KinesisClient | undefined;
  readonly streamName?: string | undefined;
  readonly log: Log;
  /** Aborts the requests in flight, e.g. before the function times out. */
  readonly signal?: AbortSignal | undefined;
}

/**
 * Sends the rejects of a batch to the rejects stream, or logs each in full at
 * error level when there is none. Resolves with the rejects that could not
 * be delivered (their batch must then be replayed); never rejects.
 */
export async function forwardRejects(
  rejects: readonly Reject[],
  { kinesis, streamName, log, signal }: RejectsOutlet,
): Promise<Reject[]> {
  if (kinesis === undefined || streamName === undefined) {
    for (const reject of rejects) log.error({ msg: "rejected record", ...envelope(reject) });
    return [];
  }
  if (rejects.length === 0) return [];
  const put = await putRecords(kinesis, streamName, rejects.map(entryOf), { signal });
  if (put.undelivered.length > 0) {
    log.error({
      msg: "rejects not delivered",
      stream: streamName,
      count: put.undelivered.length,
      ...(put.callError === undefined
        ? { errorCodes: put.errorCodes }
        : { error: String(put.callError) }),
    });
  }
  return put.undelivered.map((e) => e.reject);
}
