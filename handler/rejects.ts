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

import { setTimeout as sleep } from "node:timers/promises";
import {
  type KinesisClient,
  PutRecordsCommand,
  type PutRecordsRequestEntry,
} from "@aws-sdk/client-kinesis";
import type { Log } from "./log.ts";
import { type Reject, shardIdOf } from "./records.ts";

/** A rejected record as it travels on the rejects stream (JSON). */
export interface Envelope {
  /** The record's data, base64, exactly as received (cut short only if `truncated`). */
  readonly data: string;
  readonly reason: string;
  /** Dotted path of the field at fault; empty for the record as a whole. */
  readonly path: string;
  readonly sequenceNumber: string;
  readonly shardId: string;
  readonly partitionKey: string;
  /** ISO-8601, UTC. */
  readonly approximateArrivalTimestamp: string;
  readonly eventSourceARN: string;
  /** Present when `data` was cut to fit a Kinesis record; the source record still has it all. */
  readonly truncated?: true;
}

/** Kinesis limits: data plus partition key per record, records and bytes per PutRecords. */
const MAX_RECORD_BYTES = 1024 * 1024;
const MAX_BATCH_RECORDS = 500;
const MAX_BATCH_BYTES = 5 * 1024 * 1024;
/** PutRecords calls per chunk when some entries keep failing (throttled shards). */
const MAX_PUTS = 4;
const BACKOFF_MS = 100;

const utf8 = new TextEncoder();

/** The envelope of a rejected record. */
export function envelope({ record, path, reason }: Reject): Envelope {
  const { data, sequenceNumber, partitionKey, approximateArrivalTimestamp } = record.kinesis;
  return {
    data,
    reason,
    path,
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

interface Entry {
  readonly reject: Reject;
  readonly entry: PutRecordsRequestEntry;
  readonly bytes: number;
}

function entryOf(reject: Reject): Entry {
  // Sequence numbers (ASCII digits) spread rejects over the shards: they need no order.
  const key = reject.record.kinesis.sequenceNumber;
  const data = encode(envelope(reject), key);
  return { reject, entry: { Data: data, PartitionKey: key }, bytes: data.byteLength + key.length };
}

/** Consecutive chunks within PutRecords' limits of count and bytes. */
function chunks(entries: readonly Entry[]): Entry[][] {
  const out: Entry[][] = [];
  let chunk: Entry[] = [];
  let bytes = 0;
  for (const e of entries) {
    if (chunk.length === MAX_BATCH_RECORDS || bytes + e.bytes > MAX_BATCH_BYTES) {
      out.push(chunk);
      chunk = [];
      bytes = 0;
    }
    chunk.push(e);
    bytes += e.bytes;
  }
  if (chunk.length > 0) out.push(chunk);
  return out;
}

/** Where rejects go: a stream, or (without one) the log. */
export interface RejectsOutlet {
  readonly kinesis?: KinesisClient | undefined;
  readonly streamName?: string | undefined;
  readonly log: Log;
  /** Aborts the requests in flight, e.g. before the function times out. */
  readonly signal?: AbortSignal | undefined;
}

interface Stream {
  readonly kinesis: KinesisClient;
  readonly name: string;
  readonly log: Log;
  readonly signal?: AbortSignal | undefined;
}

/**
 * Puts one chunk, retrying only the entries that failed (a partial failure
 * is a success to the SDK, so its own retries do not cover it), with
 * exponential backoff and jitter. Resolves with the entries not delivered.
 */
async function put(stream: Stream, chunk: Entry[]): Promise<Entry[]> {
  let pending = chunk;
  for (let attempt = 1; ; attempt++) {
    const { Records: results = [] } = await stream.kinesis.send(
      new PutRecordsCommand({ StreamName: stream.name, Records: pending.map((e) => e.entry) }),
      { abortSignal: stream.signal },
    );
    // An entry is delivered when it got a sequence number; otherwise it has an ErrorCode.
    const failed = pending.filter((_, i) => results[i]?.SequenceNumber === undefined);
    if (failed.length === 0) return [];
    if (attempt === MAX_PUTS) {
      const errorCodes = [...new Set(results.map((r) => r.ErrorCode).filter(Boolean))];
      stream.log.error({
        msg: "rejects not delivered",
        stream: stream.name,
        count: failed.length,
        errorCodes,
      });
      return failed;
    }
    pending = failed;
    await sleep(BACKOFF_MS * 2 ** (attempt - 1) * (0.5 + Math.random() / 2));
  }
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
  const stream: Stream = { kinesis, name: streamName, log, signal };
  const undelivered = await Promise.all(
    chunks(rejects.map(entryOf)).map((chunk) =>
      put(stream, chunk).catch((error: unknown) => {
        log.error({
          msg: "rejects not delivered",
          stream: streamName,
          count: chunk.length,
          error: String(error),
        });
        return chunk;
      }),
    ),
  );
  return undelivered.flat().map((e) => e.reject);
}
