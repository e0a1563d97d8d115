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
  type ShardIteratorType,
} from "@aws-sdk/client-kinesis";
import type { KinesisStreamEvent } from "aws-lambda";
import { backoffMs } from "./backoff.ts";
import type { ShardCheckpoint } from "./checkpoints.ts";
import { toKinesisEvent } from "./event.ts";
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
  /** A batch was given up on after its retries. */
  skipped(shardId: string, skipped: SkippedBatch): Promise<void>;
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

/** Errors that mean "too fast": wait and ask again with the same iterator. */
const THROTTLED = new Set(["ProvisionedThroughputExceededException", "LimitExceededException"]);
/** Errors that mean a position no longer exists in this shard (trimmed, or another stream's). */
const NO_SUCH_POSITION = new Set(["ResourceNotFoundException", "InvalidArgumentException"]);

/**
 * Reads the shard until `signal` fires (or the shard is closed: no next
 * iterator, which only a reshard makes and the emulators never do).
 */
export async function runShard(options: ShardOptions): Promise<void> {
  const { kinesis, stream, shardId, policy, signal, events } = options;
  const source = { region: options.region, stream, shardId, functionName: options.functionName };
  let state: ShardState = {
    checkpoint: options.start?.sequenceNumber,
    attempts: 0,
    limit: policy.batchSize,
  };
  const resume = (): Position =>
    state.checkpoint === undefined
      ? { type: "TRIM_HORIZON" }
      : { type: "AFTER_SEQUENCE_NUMBER", sequenceNumber: state.checkpoint };
  const pause = (ms: number) => sleep(ms, undefined, { signal }).catch(() => {});
  let troubles = 0; // consecutive Kinesis errors, for their backoff

  const iteratorAt = async (position: Position): Promise<string | undefined> => {
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
        troubles = 0;
        return ShardIterator;
      } catch (err) {
        const name = (err as Error).name;
        if (position.sequenceNumber !== undefined && NO_SUCH_POSITION.has(name)) {
          // Re-reading is harmless, skipping is not: fall back to the oldest record.
          events.log({
            msg: "position not in shard, reading from TRIM_HORIZON",
            shardId,
            position,
          });
          position = { type: "TRIM_HORIZON" };
          continue;
        }
        troubles++;
        events.log({ msg: "GetShardIterator failed", shardId, error: String(err), troubles });
        await pause(backoffMs(troubles, policy));
      }
    }
  };

  let iterator = await iteratorAt(resume());
  while (iterator !== undefined && !signal.aborted) {
    let output: GetRecordsCommandOutput;
    try {
      output = await kinesis.send(
        new GetRecordsCommand({ ShardIterator: iterator, Limit: state.limit }),
      );
      troubles = 0;
    } catch (err) {
      const name = (err as Error).name;
      troubles++;
      if (!THROTTLED.has(name)) {
        events.log({ msg: "GetRecords failed", shardId, error: String(err), troubles });
      }
      await pause(backoffMs(troubles, policy));
      // An expired or broken iterator is replaced; a throttled one is still good.
      if (!THROTTLED.has(name)) iterator = await iteratorAt(resume());
      continue;
    }
    const records = output.Records ?? [];
    if (records.length === 0) {
      iterator = output.NextShardIterator ?? undefined;
      await pause(options.pollMs);
      continue;
    }
    const result = await options.invoke(toKinesisEvent(records, source));
    events.batch(shardId, records.length, records[records.length - 1]?.ApproximateArrivalTimestamp);
    const before = state.checkpoint;
    const sequenceNumbers = records.map((record) => record.SequenceNumber ?? "");
    const next = afterBatch(state, sequenceNumbers, result, policy);
    state = next.state;
    if (next.step.action === "skip") await events.skipped(shardId, next.step.skipped);
    if (state.checkpoint !== before) {
      await events.checkpoint(shardId, { sequenceNumber: state.checkpoint });
    }
    if (next.step.action === "retry") {
      const { from, delayMs, reason } = next.step;
      events.log({
        msg: "retrying batch",
        shardId,
        from,
        attempt: state.attempts,
        delayMs,
        reason,
      });
      await pause(delayMs);
      iterator = await iteratorAt({ type: "AT_SEQUENCE_NUMBER", sequenceNumber: from });
    } else {
      iterator = output.NextShardIterator ?? undefined;
    }
  }
}
