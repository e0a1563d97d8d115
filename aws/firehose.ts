/**
 * Kinesis Data Firehose on this machine: the local archive of every raw
 * event, in the same object layout as the AWS archive (`core/archive.ts`).
 * A consumer of the event stream of its own, independent of the function:
 * its own position (checkpoints under its own state directory), read by the
 * same shard reader as the local event source mapping.
 *
 * As Firehose does, it buffers by size or time, then writes one gzipped
 * object of the records byte for byte, a newline after each. A batch counts
 * as read (its checkpoint moves) only once the object holding it is
 * written, so a crash or a failed write re-reads it: the archive holds
 * every record at least once, and now and then twice, which a replay does
 * not mind. Writes are retried without end, as Firehose retries for a day:
 * an archive must not skip.
 *
 * @module
 */

import { randomUUID } from "node:crypto";
import { promisify } from "node:util";
import { gzip } from "node:zlib";
import type { KinesisClient } from "@aws-sdk/client-kinesis";
import { PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import type { KinesisStreamEvent } from "aws-lambda";
import { objectKey } from "../core/archive.ts";
import { startMapping } from "./lambda/mapping.ts";
import { DEFAULT_POLICY } from "./lambda/rules.ts";

const compress = promisify(gzip);

export interface ArchiverOptions {
  readonly kinesis: KinesisClient;
  readonly s3: S3Client;
  readonly stream: string;
  readonly bucket: string;
  /** The delivery stream's name, which starts every object's name. */
  readonly deliveryStream: string;
  readonly region: string;
  /** Its checkpoints go to `<stateDir>/checkpoints/`. */
  readonly stateDir: string;
  /** Write an object once this many bytes are buffered… */
  readonly bufferBytes: number;
  /** …or once the oldest buffered record has waited this long. */
  readonly bufferMs: number;
  readonly signal: AbortSignal;
  readonly log: (fields: Record<string, unknown>) => void;
}

/** What the archive holds so far, for the local stack's header. */
export interface ArchiveStats {
  objects: number;
  records: number;
  bytes: number;
  /** The key of the last object written. */
  lastKey: string | undefined;
}

/** Records waiting for their object, and the batches waiting with them. */
interface Pending {
  records: Uint8Array[];
  bytes: number;
  /** Epoch ms of the oldest record's arrival: it names the object. */
  oldest: number;
  timer: NodeJS.Timeout | undefined;
  waiting: { resolve: () => void; reject: (error: unknown) => void }[];
}

const NEWLINE = new Uint8Array([0x0a]);

const empty = (): Pending => ({
  records: [],
  bytes: 0,
  oldest: Number.POSITIVE_INFINITY,
  timer: undefined,
  waiting: [],
});

/**
 * Writes one archive object of `records` (each one's bytes; a newline is
 * added after each), named after the oldest record's arrival. Resolves with
 * its key and compressed size.
 */
export async function writeArchiveObject(
  s3: S3Client,
  bucket: string,
  deliveryStream: string,
  records: readonly Uint8Array[],
  oldestArrival: number,
): Promise<{ key: string; bytes: number }> {
  const key = objectKey(deliveryStream, oldestArrival, randomUUID());
  const body = await compress(Buffer.concat(records.flatMap((record) => [record, NEWLINE])));
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
  return { key, bytes: body.byteLength };
}

/**
 * The archiver's buffer: `add` holds a batch until the object holding it is
 * written (or fails to be), `flush` writes what is held now.
 */
function archiveBuffer(options: ArchiverOptions, stats: ArchiveStats) {
  let buffer = empty();
  const flush = async () => {
    const full = buffer;
    buffer = empty();
    clearTimeout(full.timer);
    if (full.records.length === 0) return;
    try {
      const { s3, bucket, deliveryStream } = options;
      const written = await writeArchiveObject(
        s3,
        bucket,
        deliveryStream,
        full.records,
        full.oldest,
      );
      stats.objects++;
      stats.records += full.records.length;
      stats.bytes += written.bytes;
      stats.lastKey = written.key;
      for (const w of full.waiting) w.resolve();
    } catch (error) {
      options.log({ msg: "archive object not written", error: String(error) });
      for (const w of full.waiting) w.reject(error);
    }
  };
  const add = (event: KinesisStreamEvent) =>
    new Promise<void>((resolve, reject) => {
      for (const { kinesis } of event.Records) {
        const data = Buffer.from(kinesis.data, "base64");
        buffer.records.push(data);
        buffer.bytes += data.byteLength + 1;
        buffer.oldest = Math.min(buffer.oldest, kinesis.approximateArrivalTimestamp * 1000);
      }
      buffer.waiting.push({ resolve, reject });
      if (buffer.bytes >= options.bufferBytes || options.signal.aborted) void flush();
      else buffer.timer ??= setTimeout(flush, options.bufferMs);
    });
  return { add, flush };
}

/** Starts archiving `stream`; `done` resolves after `signal` fired and the last object is written. */
export async function startArchiver(options: ArchiverOptions) {
  const stats: ArchiveStats = { objects: 0, records: 0, bytes: 0, lastKey: undefined };
  const buffer = archiveBuffer(options, stats);
  options.signal.addEventListener("abort", () => void buffer.flush(), { once: true });
  const mapping = await startMapping({
    kinesis: options.kinesis,
    stream: options.stream,
    region: options.region,
    functionName: options.deliveryStream,
    invoke: async (event) => {
      try {
        await buffer.add(event);
        return { ok: true, response: undefined };
      } catch (error) {
        return { ok: false, error };
      }
    },
    stateDir: options.stateDir,
    // Whole GetRecords pages; retried without end: a record the archive skips is lost for good.
    policy: { ...DEFAULT_POLICY, batchSize: 10_000, maxRetries: Number.MAX_SAFE_INTEGER },
    pollMs: 200,
    signal: options.signal,
    log: options.log,
  });
  return { stats, done: mapping.done };
}
