/**
 * One shard of the local event source mapping: read it in order, invoke the
 * function with each batch, checkpoint, retry — one invocation at a time, as
 * Lambda does with a parallelization factor of 1. The decisions are made by
 * `afterBatch` (pure); this loop only carries them out against Kinesis.
 *
 * @module
 */

import { setTimeout as sleep } from "node:timers/promises";
import {
  GetRecordsCommand,
  type GetRecordsCommandOutput,
  GetShardIteratorCommand,
  type KinesisClient,
  type _Record as KinesisRecord,
  type ShardIteratorType,
} from "@aws-sdk/client-kinesis";
import type { KinesisStreamEvent } from "aws-lambda";
import { backoffMs } from "./backoff.ts";
import type { ShardCheckpoint } from "./checkpoints.ts";
import { type Source, toKinesisEvent } from "./event.ts";
import {
  afterBatch,
  type InvocationResult,
  type RetryPolicy,
  type ShardState,
  type SkippedBatch,
} from "./rules.ts";

/** What a shard reports to its mapping. */
export interface ShardEvents {
  /** A new checkpoint; resolves once it is durable. */
  checkpoint(shardId: string, checkpoint: ShardCheckpoint): Promise<void>;
  /** A batch was invoked (successfully or not). */
  batch(shardId: string, records: number, arrivedAt: Date | undefined): void;
  /** A batch was given up on after its retries; `arrivals`: its first and last record's. */
  skipped(shardId: string, skipped: SkippedBatch, arrivals: Arrivals): Promise<void>;
  /** Something worth a log line (retries, throttling, fallbacks). */
  log(fields: Record<string, unknown>): void;
}

export interface ShardOptions {
  readonly kinesis: KinesisClient;
  readonly stream: string;
  readonly region: string;
  readonly functionName: string;
  readonly shardId: string;
  /** Where the last run stopped. */
  readonly start: ShardCheckpoint | undefined;
  readonly invoke: (event: KinesisStreamEvent) => Promise<InvocationResult>;
  readonly policy: RetryPolicy;
  /** Wait after an empty read. */
  readonly pollMs: number;
  /** Stops the shard between batches; a batch in flight is finished and checkpointed first. */
  readonly signal: AbortSignal;
  readonly events: ShardEvents;
}

type Position = { type: ShardIteratorType; sequenceNumber?: string };

/** When a batch's first and last records arrived in the stream. */
export interface Arrivals {
  readonly first: Date | undefined;
  readonly last: Date | undefined;
}

/** Errors that mean "too fast": wait and ask again with the same iterator. */
const THROTTLED = new Set(["ProvisionedThroughputExceededException", "LimitExceededException"]);
/** Errors that mean a position no longer exists in this shard (trimmed, or another stream's). */
const NO_SUCH_POSITION = new Set(["ResourceNotFoundException", "InvalidArgumentException"]);

/** One shard's reader: its options, where it stands, and its run of Kinesis errors. */
interface Reader {
  readonly options: ShardOptions;
  readonly source: Source;
  state: ShardState;
  /** Consecutive Kinesis errors, for their backoff. */
  troubles: number;
}

const pause = (reader: Reader, ms: number) =>
  sleep(ms, undefined, { signal: reader.options.signal }).catch(() => {});

/** Where to resume after an error: after the checkpoint, or from the start. */
const resume = ({ state }: Reader): Position =>
  state.checkpoint === undefined
    ? { type: "TRIM_HORIZON" }
    : { type: "AFTER_SEQUENCE_NUMBER", sequenceNumber: state.checkpoint };

/** An iterator at `position`, retried with backoff; `undefined` once stopped. */
async function iteratorAt(reader: Reader, position: Position): Promise<string | undefined> {
  const { kinesis, stream, shardId, signal, events, policy } = reader.options;
  for (;;) {
    if (signal.aborted) return undefined;
    try {
      const { ShardIterator } = await kinesis.send(
        new GetShardIteratorCommand({
          StreamName: stream,
          ShardId: shardId,
          ShardIteratorType: position.type,
          StartingSequenceNumber: position.sequenceNumber,
        }),
      );
      reader.troubles = 0;
      return ShardIterator;
    } catch (err) {
      const name = (err as Error).name;
      if (position.sequenceNumber !== undefined && NO_SUCH_POSITION.has(name)) {
        // Re-reading is harmless, skipping is not: fall back to the oldest record.
        events.log({ msg: "position not in shard, reading from TRIM_HORIZON", shardId, position });
        position = { type: "TRIM_HORIZON" };
        continue;
      }
      reader.troubles++;
      events.log({
        msg: "GetShardIterator failed",
        shardId,
        error: String(err),
        troubles: reader.troubles,
      });
      await pause(reader, backoffMs(reader.troubles, policy));
    }
  }
}

/**
 * One GetRecords. On an error, waits its backoff and answers with the
 * iterator to use next: the same after a throttle (it is still good), a new
 * one from the checkpoint otherwise (it may have expired).
 */
async function getRecords(
  reader: Reader,
  iterator: string,
): Promise<GetRecordsCommandOutput | { retryWith: string | undefined }> {
  const { kinesis, shardId, events, policy } = reader.options;
  try {
    const output = await kinesis.send(
      new GetRecordsCommand({ ShardIterator: iterator, Limit: reader.state.limit }),
    );
    reader.troubles = 0;
    return output;
  } catch (err) {
    const throttled = THROTTLED.has((err as Error).name);
    reader.troubles++;
    if (!throttled) {
      events.log({
        msg: "GetRecords failed",
        shardId,
        error: String(err),
        troubles: reader.troubles,
      });
    }
    await pause(reader, backoffMs(reader.troubles, policy));
    return { retryWith: throttled ? iterator : await iteratorAt(reader, resume(reader)) };
  }
}

/**
 * Invokes the function with a batch and carries out what the rules decide:
 * report a skipped batch, save a moved checkpoint, and answer with the
 * position to re-read from after the retry's delay (none: carry on).
 */
async function deliver(reader: Reader, records: KinesisRecord[]): Promise<Position | undefined> {
  const { shardId, events, policy } = reader.options;
  const result = await reader.options.invoke(toKinesisEvent(records, reader.source));
  events.batch(shardId, records.length, records[records.length - 1]?.ApproximateArrivalTimestamp);
  const before = reader.state.checkpoint;
  const sequenceNumbers = records.map((record) => record.SequenceNumber ?? "");
  const next = afterBatch(reader.state, sequenceNumbers, result, policy);
  reader.state = next.state;
  if (next.step.action === "skip") {
    const { skipped } = next.step;
    const first = records.findIndex((r) => r.SequenceNumber === skipped.startSequenceNumber);
    await events.skipped(shardId, skipped, {
      first: records[first]?.ApproximateArrivalTimestamp,
      last: records[records.length - 1]?.ApproximateArrivalTimestamp,
    });
  }
  if (reader.state.checkpoint !== before) {
    await events.checkpoint(shardId, { sequenceNumber: reader.state.checkpoint });
  }
  if (next.step.action !== "retry") return undefined;
  const { from, delayMs, reason } = next.step;
  events.log({
    msg: "retrying batch",
    shardId,
    from,
    attempt: reader.state.attempts,
    delayMs,
    reason,
  });
  await pause(reader, delayMs);
  return { type: "AT_SEQUENCE_NUMBER", sequenceNumber: from };
}

/**
 * Reads the shard until `signal` fires (or the shard is closed: no next
 * iterator, which only a reshard makes and the emulators never do).
 */
export async function runShard(options: ShardOptions): Promise<void> {
  const { stream, shardId, policy, signal } = options;
  const reader: Reader = {
    options,
    source: { region: options.region, stream, shardId, functionName: options.functionName },
    state: { checkpoint: options.start?.sequenceNumber, attempts: 0, limit: policy.batchSize },
    troubles: 0,
  };
  let iterator = await iteratorAt(reader, resume(reader));
  while (iterator !== undefined && !signal.aborted) {
    const output = await getRecords(reader, iterator);
    if ("retryWith" in output) {
      iterator = output.retryWith;
      continue;
    }
    const records = output.Records ?? [];
    if (records.length === 0) {
      iterator = output.NextShardIterator ?? undefined;
      await pause(reader, options.pollMs);
      continue;
    }
    const retryFrom = await deliver(reader, records);
    iterator =
      retryFrom === undefined
        ? (output.NextShardIterator ?? undefined)
        : await iteratorAt(reader, retryFrom);
  }
}
