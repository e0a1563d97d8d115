/**
 * The local event source mapping: what Lambda does between a Kinesis stream
 * and a function, for the emulators, which have no Lambda. Every shard is read
 * concurrently by `runShard`; new shards (after a reshard) are picked up by a
 * periodic ListShards, children only once their parents are read to the end,
 * as Lambda does. Checkpoints are saved after every batch, so a restart —
 * even after SIGKILL — resumes without loss (at-least-once).
 *
 * @module
 */

import { appendFile, mkdir } from "node:fs/promises";
import { dirname } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import {
  DescribeStreamSummaryCommand,
  type KinesisClient,
  ListShardsCommand,
  type Shard,
} from "@aws-sdk/client-kinesis";
import type { KinesisStreamEvent } from "aws-lambda";
import {
  type Checkpoints,
  checkpointPath,
  checkpointSaver,
  loadCheckpoints,
  type ShardCheckpoint,
} from "./checkpoints.ts";
import { streamArn } from "./event.ts";
import type { InvocationResult, RetryPolicy, SkippedBatch } from "./rules.ts";
import { runShard } from "./shard.ts";

export interface MappingOptions {
  readonly kinesis: KinesisClient;
  readonly stream: string;
  readonly region: string;
  readonly functionName: string;
  readonly invoke: (event: KinesisStreamEvent) => Promise<InvocationResult>;
  /** Checkpoints go to `<stateDir>/checkpoints/`, skipped batches to `<stateDir>/failed/`. */
  readonly stateDir: string;
  readonly policy: RetryPolicy;
  readonly pollMs: number;
  /** How often to look for new shards. */
  readonly discoverMs: number;
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

/** Starts reading `stream`; `done` resolves after `signal` fired and every shard saved its checkpoint. */
export async function startMapping(options: MappingOptions) {
  const { kinesis, stream, signal, log } = options;
  const created = await streamCreated(kinesis, stream, signal, log);
  const identity = { stream, created };
  const path = checkpointPath(options.stateDir, stream);
  const loaded = await loadCheckpoints(path, identity);
  if (loaded.discarded !== undefined)
    log({ msg: "reading from TRIM_HORIZON", why: loaded.discarded });
  const checkpoints: Record<string, ShardCheckpoint> = { ...loaded.shards };
  const { save } = checkpointSaver(path, identity);
  const failedPath = `${options.stateDir}/failed/${stream}.jsonl`;
  const stats: MappingStats = {
    records: 0,
    batches: 0,
    lastBatchAt: undefined,
    lastArrivalAt: undefined,
    shards: [],
  };
  const running = new Map<string, Promise<unknown>>();
  let wake = new AbortController(); // cuts the discovery wait short when a shard finishes

  const events = {
    checkpoint: (shardId: string, checkpoint: ShardCheckpoint) => {
      checkpoints[shardId] = checkpoint;
      return save({ ...checkpoints } satisfies Checkpoints);
    },
    batch: (_shardId: string, records: number, arrivedAt: Date | undefined) => {
      stats.records += records;
      stats.batches++;
      stats.lastBatchAt = Date.now();
      stats.lastArrivalAt = Math.max(stats.lastArrivalAt ?? 0, arrivedAt?.getTime() ?? 0);
    },
    skipped: async (shardId: string, skipped: SkippedBatch) => {
      // Lambda's on-failure record: enough to find and replay the batch.
      const { reason, retryAttempts, ...range } = skipped;
      const streamArnValue = streamArn(options.region, stream);
      const line = { timestamp: new Date().toISOString(), reason, retryAttempts };
      const info = { KinesisBatchInfo: { shardId, ...range, streamArn: streamArnValue } };
      log({ msg: "batch skipped after retries", shardId, ...skipped, file: failedPath });
      await mkdir(dirname(failedPath), { recursive: true });
      await appendFile(failedPath, `${JSON.stringify({ ...line, ...info })}\n`);
    },
    log,
  };

  const start = (shardId: string) => {
    const run = runShard({ ...options, shardId, start: checkpoints[shardId], events })
      .catch((err) => log({ msg: "shard reader crashed", shardId, error: String(err) }))
      .finally(() => {
        running.delete(shardId);
        wake.abort();
      });
    running.set(shardId, run);
  };

  const discover = async () => {
    const shards = await listShards(kinesis, stream);
    stats.shards = shards.map((shard) => shard.ShardId ?? "");
    for (const shardId of readyShards(shards, checkpoints, new Set(running.keys()))) {
      log({
        msg: "reading shard",
        shardId,
        from: checkpoints[shardId]?.sequenceNumber ?? "TRIM_HORIZON",
      });
      start(shardId);
    }
  };

  const loop = async () => {
    while (!signal.aborted) {
      try {
        await discover();
      } catch (err) {
        log({ msg: "ListShards failed", error: String(err) });
      }
      await sleep(options.discoverMs, undefined, {
        signal: AbortSignal.any([signal, wake.signal]),
      }).catch(() => {});
      if (wake.signal.aborted) wake = new AbortController();
    }
    await Promise.all(running.values());
    await save({ ...checkpoints });
  };
  return { stats, done: loop() };
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

async function listShards(kinesis: KinesisClient, stream: string): Promise<Shard[]> {
  const shards: Shard[] = [];
  let token: string | undefined;
  do {
    const page = await kinesis.send(
      new ListShardsCommand(token === undefined ? { StreamName: stream } : { NextToken: token }),
    );
    shards.push(...(page.Shards ?? []));
    token = page.NextToken;
  } while (token !== undefined);
  return shards;
}

/**
 * The shards to start reading now: not running, not finished, and whose
 * parents are finished or gone (trimmed away), so that a truck's events are
 * read in order across a reshard.
 */
export function readyShards(
  shards: readonly Pick<Shard, "ShardId" | "ParentShardId" | "AdjacentParentShardId">[],
  checkpoints: Checkpoints,
  running: ReadonlySet<string>,
): string[] {
  const listed = new Set(shards.map((shard) => shard.ShardId));
  const done = (id: string | undefined) =>
    id === undefined || !listed.has(id) || checkpoints[id]?.finished === true;
  return shards
    .filter((shard) => shard.ShardId !== undefined && !running.has(shard.ShardId))
    .filter((shard) => !done(shard.ShardId))
    .filter((shard) => done(shard.ParentShardId) && done(shard.AdjacentParentShardId))
    .map((shard) => shard.ShardId as string);
}
