/**
 * The truth the archive holds, read: every object of a time window (several
 * at once), and optionally every record still in the stream, into one
 * tally (`core/tally.ts`). The stream matters at the seam: the archive lags
 * it by one buffer interval, so the newest records may be in the stream only.
 *
 * @module
 */

import type { KinesisClient } from "@aws-sdk/client-kinesis";
import type { S3Client } from "@aws-sdk/client-s3";
import { readStream } from "../../aws/stream.ts";
import type { Window } from "../../core/archive.ts";
import { addObject, addRecord, addUnreadable, newTally, type Tally } from "../../core/tally.ts";
import { settleAll } from "../../handler/pool.ts";
import { listArchive, readArchiveObject } from "./archive.ts";

/** How far a read has come, for a progress line. */
export interface ReadProgress {
  readonly objects: number;
  readonly objectsTotal: number;
  readonly bytes: number;
  readonly bytesTotal: number;
  readonly events: number;
}

export interface ReadOptions {
  readonly s3: S3Client;
  readonly bucket: string;
  readonly window: Window;
  /** Also the records still in this stream (all of them: a stream holds a day or so). */
  readonly stream?: { readonly kinesis: KinesisClient; readonly name: string } | undefined;
  /** Objects read at once (default 8: S3 answers each in tens of milliseconds). */
  readonly concurrency?: number;
  readonly progress?: (progress: ReadProgress) => void;
}

/**
 * Reads the window's objects (and the stream) into a tally. Throws when the
 * bucket cannot be listed; an object that cannot be read is counted in the
 * tally as unreadable (after the SDK's retries) and the read goes on.
 */
export async function readTruth(options: ReadOptions): Promise<Tally & { objects: number }> {
  const { s3, bucket } = options;
  const tally = newTally();
  const objects = await listArchive(s3, bucket, options.window);
  const bytesTotal = objects.reduce((n, o) => n + o.size, 0);
  let done = 0;
  let bytes = 0;
  await settleAll(objects, options.concurrency ?? 8, async ({ key, size }) => {
    const read = await readArchiveObject(s3, bucket, key).catch((error: Error) => ({
      problem: `cannot be read: ${error.name}: ${error.message}`,
    }));
    if ("bytes" in read) addObject(tally, key, read.bytes);
    else addUnreadable(tally, key, read.problem);
    done++;
    bytes += size;
    const { events } = tally;
    options.progress?.({ objects: done, objectsTotal: objects.length, bytes, bytesTotal, events });
  });
  if (options.stream !== undefined) {
    const { kinesis, name } = options.stream;
    for (const record of await readStream(kinesis, name)) {
      addRecord(tally, `${record.shardId}/${record.sequenceNumber}`, record.data);
    }
  }
  return Object.assign(tally, { objects: objects.length });
}
