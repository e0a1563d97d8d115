/**
 * The one log line per batch: enough to see throughput, write efficiency,
 * bad input and failures at a glance (and to graph them with Logs Insights),
 * with no line per record.
 *
 * @module
 */

import type { KinesisStreamRecord } from "aws-lambda";
import { type Batch, shardIdOf } from "./records.ts";
import type { WriteCounts } from "./write.ts";

/** The batch line. */
export interface Summary extends WriteCounts {
  readonly msg: "batch";
  readonly records: number;
  readonly decoded: number;
  /** Rejected records by the path of the field at fault (`record` for the whole record). */
  readonly rejected: Readonly<Record<string, number>>;
  readonly trucks: number;
  /** Records sent to the rejects because the table refused their truck's write for good. */
  readonly unwritable: number;
  /** Trucks not written (to be retried) plus rejects not delivered. */
  readonly failures: number;
  /** The sequence number the event source mapping is asked to replay from, if any. */
  readonly retryFrom: string | undefined;
  readonly durationMs: number;
  readonly shardId: string | undefined;
  readonly firstSequenceNumber: string | undefined;
}

/** What happened to a batch, as input to its summary. */
export interface Outcome {
  readonly records: readonly KinesisStreamRecord[];
  readonly batch: Batch;
  readonly counts: WriteCounts;
  readonly unwritable: number;
  readonly failures: number;
  readonly retryFrom: string | undefined;
  readonly durationMs: number;
}

/**
 * Counts by path, keys in order of first appearance. A Map, then own
 * properties: a path is input, and `__proto__` must count like any other.
 */
function byPath(batch: Batch): Record<string, number> {
  const counts = new Map<string, number>();
  for (const { path } of batch.rejects) {
    const key = path || "record";
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return Object.fromEntries(counts);
}

/** The summary line of a batch. */
export function summarize({
  records,
  batch,
  counts,
  unwritable,
  failures,
  retryFrom,
  durationMs,
}: Outcome): Summary {
  const first = records[0];
  return {
    msg: "batch",
    records: records.length,
    decoded: batch.decoded,
    rejected: byPath(batch),
    trucks: batch.trucks.length,
    unwritable,
    writeRequests: counts.writeRequests,
    conditionFailures: counts.conditionFailures,
    storedReads: counts.storedReads,
    skippedByFloor: counts.skippedByFloor,
    failures,
    retryFrom,
    durationMs: Math.round(durationMs),
    shardId: first === undefined ? undefined : shardIdOf(first),
    firstSequenceNumber: first?.kinesis.sequenceNumber,
  };
}
