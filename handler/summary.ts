/**
 * The one log line per batch: enough to see throughput, write efficiency,
 * bad input, failures and freshness at a glance, with no line per record.
 * Its numbers are also the batch's metrics (`metrics.ts`), so the log, the
 * metrics and the dashboard use the same names.
 *
 * @module
 */

import type { KinesisStreamRecord } from "aws-lambda";
import { type Batch, type Reject, type RejectGroup, shardIdOf } from "./records.ts";
import type { WriteCounts } from "./write.ts";

/** The batch line, before its metrics block (which checks that it holds every metric). */
export interface Summary extends WriteCounts {
  readonly msg: "batch";
  readonly records: number;
  readonly decoded: number;
  /** Records sent to the rejects, every group; then per group. */
  readonly rejected: number;
  readonly rejectedMalformed: number;
  readonly rejectedUnknownEvent: number;
  readonly rejectedInvalidField: number;
  readonly rejectedUnwritable: number;
  readonly trucks: number;
  /** Trucks not written (to be retried) plus rejects not delivered. */
  readonly failures: number;
  /** The sequence number the event source mapping is asked to replay from, if any. */
  readonly retryFrom: string | undefined;
  readonly durationMs: number;
  /** Freshness: the end of the batch minus the oldest and the newest record's arrival on the stream. */
  readonly oldestEventAgeMs: number | undefined;
  readonly newestEventAgeMs: number | undefined;
  readonly shardId: string | undefined;
  readonly firstSequenceNumber: string | undefined;
}

/** What happened to a batch, as input to its summary. */
export interface Outcome {
  readonly records: readonly KinesisStreamRecord[];
  readonly batch: Batch;
  readonly counts: WriteCounts;
  /** Every record sent to the rejects: the batch's, and those of trucks the table refused. */
  readonly rejects: readonly Reject[];
  readonly failures: number;
  readonly retryFrom: string | undefined;
  readonly durationMs: number;
  /** The end of the batch, ms since the epoch. */
  readonly now: number;
}

/** Each reject group and the metric that counts it: every group, once. */
export const GROUP_FIELDS = {
  malformed: "rejectedMalformed",
  "unknown-event": "rejectedUnknownEvent",
  "invalid-field": "rejectedInvalidField",
  unwritable: "rejectedUnwritable",
} as const satisfies Record<RejectGroup, keyof Summary>;

type GroupCounts = {
  -readonly [G in keyof typeof GROUP_FIELDS as (typeof GROUP_FIELDS)[G]]: number;
};

function byGroup(rejects: readonly Reject[]): GroupCounts {
  const counts: GroupCounts = {
    rejectedMalformed: 0,
    rejectedUnknownEvent: 0,
    rejectedInvalidField: 0,
    rejectedUnwritable: 0,
  };
  for (const { group } of rejects) counts[GROUP_FIELDS[group]]++;
  return counts;
}

/**
 * How long ago (ms) the oldest and the newest record arrived on the stream.
 * Never negative: a clock a few milliseconds behind Kinesis's is not news.
 */
function ages(records: readonly KinesisStreamRecord[], now: number) {
  let oldest = Number.POSITIVE_INFINITY;
  let newest = Number.NEGATIVE_INFINITY;
  for (const { kinesis } of records) {
    oldest = Math.min(oldest, kinesis.approximateArrivalTimestamp);
    newest = Math.max(newest, kinesis.approximateArrivalTimestamp);
  }
  const age = (seconds: number) =>
    Number.isFinite(seconds) ? Math.max(0, Math.round(now - seconds * 1000)) : undefined;
  return { oldestEventAgeMs: age(oldest), newestEventAgeMs: age(newest) };
}

/** The summary line of a batch. */
export function summarize({
  records,
  batch,
  counts,
  rejects,
  failures,
  retryFrom,
  durationMs,
  now,
}: Outcome): Summary {
  const first = records[0];
  return {
    msg: "batch",
    records: records.length,
    decoded: batch.decoded,
    rejected: rejects.length,
    ...byGroup(rejects),
    trucks: batch.trucks.length,
    writeRequests: counts.writeRequests,
    conditionFailures: counts.conditionFailures,
    storedReads: counts.storedReads,
    skippedByFloor: counts.skippedByFloor,
    failures,
    retryFrom,
    durationMs: Math.round(durationMs),
    ...ages(records, now),
    shardId: first === undefined ? undefined : shardIdOf(first),
    firstSequenceNumber: first?.kinesis.sequenceNumber,
  };
}
