/**
 * The local event source mapping: what Lambda does between a Kinesis stream
 * and a function, for the emulators, which have no Lambda. Every shard is read
 * concurrently by `runShard`. The shards are listed once: the local streams
 * never reshard (Lambda's rule for a reshard, children after their parents,
 * has nothing to act on here). Checkpoints are saved after every batch, so a
 * restart — even after SIGKILL — resumes without loss (at-least-once).
 *
 * @module
 */

import { appendFile, mkdir } from "node:fs/promises";
import { dirname } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { DescribeStreamSummaryCommand, type KinesisClient } from "@aws-sdk/client-kinesis";
import type { KinesisStreamEvent } from "aws-lambda";
import { listShards } from "../stream.ts";
import {
  type Checkpoints,
  checkpointPath,
  checkpointSaver,
  loadCheckpoints,
  type ShardCheckpoint,
} from "./checkpoints.ts";
import { streamArn } from "./event.ts";
import type { InvocationResult, RetryPolicy, SkippedBatch } from "./rules.ts";
import { type Arrivals, runShard } from "./shard.ts";

/**
 * The local on-failure destination (the DLQ of the AWS deployment): one
 * line per batch given up on, Lambda's on-failure record for Kinesis.
 */
export const deadLetterPath = (stateDir: string, stream: string) =>
  `${stateDir}/failed/${stream}.jsonl`;

export interface MappingOptions {
  readonly kinesis: KinesisClient;
  readonly stream: string;
  readonly region: string;
  readonly functionName: string;
  readonly invoke: (event: KinesisStreamEvent) => Promise<InvocationResult>;
  /** Checkpoints go to `<stateDir>/checkpoints/`, skipped batches to {@link deadLetterPath}. */
  readonly stateDir: string;
  readonly policy: RetryPolicy;
  readonly pollMs: number;
  readonly signal: AbortSignal;
  readonly log: (fields: Record<string, unknown>) => void;
}

/** Running totals, for progress lines. */
export interface MappingStats {
  records: number;
  batches: number;
  /** Epoch ms of the last invocation's end. */
  lastBatchAt: number | undefined;
  /** Epoch ms at which the newest processed record had arrived in the stream. */
  lastArrivalAt: number | undefined;
  shards: string[];
}

/**
 * Lambda's on-failure record for a batch given up on, appended to the local
 * DLQ file: enough to find the batch, and to replay it from the archive.
 */
async function sendToDeadLetters(
  options: MappingOptions,
  shardId: string,
  skipped: SkippedBatch,
  arrivals: Arrivals,
): Promise<void> {
  const path = deadLetterPath(options.stateDir, options.stream);
  const { reason, retryAttempts, ...range } = skipped;
  const info = {
    shardId,
    ...range,
    approximateArrivalOfFirstRecord: arrivals.first?.toISOString(),
    approximateArrivalOfLastRecord: arrivals.last?.toISOString(),
    streamArn: streamArn(options.region, options.stream),
  };
  const line = {
    timestamp: new Date().toISOString(),
    reason,
    retryAttempts,
    KinesisBatchInfo: info,
  };
  options.log({ msg: "batch skipped after retries", shardId, ...skipped, file: path });
  await mkdir(dirname(path), { recursive: true });
  await appendFile(path, `${JSON.stringify(line)}\n`);
}

/** The checkpoints of the stream as it is now: a re-created stream's old ones are discarded. */
async function openCheckpoints(options: MappingOptions) {
  const { kinesis, stream, signal, log } = options;
  const identity = { stream, created: await streamCreated(kinesis, stream, signal, log) };
  const path = checkpointPath(options.stateDir, stream);
  const loaded = await loadCheckpoints(path, identity);
  if (loaded.discarded !== undefined) {
    log({ msg: "reading from TRIM_HORIZON", why: loaded.discarded });
  }
  const checkpoints: Record<string, ShardCheckpoint> = { ...loaded.shards };
  const { save } = checkpointSaver(path, identity);
  return { checkpoints, save: () => save({ ...checkpoints } satisfies Checkpoints) };
}

/** Starts reading `stream`; `done` resolves after `signal` fired and every shard saved its checkpoint. */
export async function startMapping(options: MappingOptions) {
  const { kinesis, stream, log } = options;
  const { checkpoints, save } = await openCheckpoints(options);
  const stats: MappingStats = {
    records: 0,
    batches: 0,
    lastBatchAt: undefined,
    lastArrivalAt: undefined,
    shards: [],
  };
  const events = {
    checkpoint: (shardId: string, checkpoint: ShardCheckpoint) => {
      checkpoints[shardId] = checkpoint;
      return save();
    },
    batch: (_shardId: string, records: number, arrivedAt: Date | undefined) => {
      stats.records += records;
      stats.batches++;
      stats.lastBatchAt = Date.now();
      stats.lastArrivalAt = Math.max(stats.lastArrivalAt ?? 0, arrivedAt?.getTime() ?? 0);
    },
    skipped: (shardId: string, skipped: SkippedBatch, arrivals: Arrivals) =>
      sendToDeadLetters(options, shardId, skipped, arrivals),
    log,
  };
  // The shards as they are at start: the emulators never reshard.
  stats.shards = await listShards(kinesis, stream);
  const done = Promise.all(
    stats.shards.map((shardId) => {
      const from = checkpoints[shardId]?.sequenceNumber ?? "TRIM_HORIZON";
      log({ msg: "reading shard", shardId, from });
      return runShard({ ...options, shardId, start: checkpoints[shardId], events }).catch((err) =>
        log({ msg: "shard reader crashed", shardId, error: String(err) }),
      );
    }),
  ).then(save);
  return { stats, done };
}

/**
 * The stream's creation time (its identity for the checkpoints), waiting for
 * the emulator and the stream to exist: `make local` starts this process
 * while the emulators are still starting, to save its own start-up time.
 * Throws an `AbortError` if `signal` fires first.
 */
async function streamCreated(
  kinesis: KinesisClient,
  stream: string,
  signal: AbortSignal,
  log: MappingOptions["log"],
): Promise<string> {
  for (let tries = 0; ; tries++) {
    try {
      const summary = await kinesis.send(new DescribeStreamSummaryCommand({ StreamName: stream }));
      const { StreamStatus: status, StreamCreationTimestamp: created } =
        summary.StreamDescriptionSummary ?? {};
      if (status === "ACTIVE" || status === "UPDATING") return created?.toISOString() ?? "";
    } catch (err) {
      if (tries === 0) log({ msg: "waiting for the stream", stream, error: String(err) });
    }
    await sleep(100, undefined, { signal });
  }
}
