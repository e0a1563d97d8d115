/**
 * The chapter's test (section 11.4) as three replayable streams from the
 * seeded generator, each spread over two shards by a random partition key
 * and cut into the event source mapping's batches of 100:
 * - forward: the generator running forward from its start;
 * - backwards: running backwards from the same start, on the table forward
 *   left (every event is older than the table: nothing may change);
 * - both: forward and backwards each continuing where they stopped,
 *   interleaved one event each.
 *
 * Pure: the same seed gives the same records, so every strategy replays
 * exactly the same input.
 *
 * @module
 */

import type { KinesisStreamRecord } from "aws-lambda";
import { kinesisRecord, sequencer } from "../aws/lambda/event.ts";
import type { OopsEvent } from "../core/mod.ts";
import { createRandom } from "../tools/generate/random.ts";
import { events } from "../tools/generate/world.ts";
import { shardOfVin } from "./scale_model.ts";

export const STREAM_NAMES = ["forward", "backwards", "both"] as const;
export type StreamName = (typeof STREAM_NAMES)[number];

/** One stream: its events, and per shard, its batches in order. */
export interface Stream {
  readonly name: StreamName;
  readonly events: readonly OopsEvent[];
  readonly shards: readonly (readonly KinesisStreamRecord[][])[];
}

export interface StreamOptions {
  /** Events per stream. */
  readonly count: number;
  readonly seed: number;
  readonly shards?: number;
  readonly batchSize?: number;
}

/** Alternates `a` and `b`, one event each. */
function interleave<T>(a: readonly T[], b: readonly T[]): T[] {
  const out: T[] = [];
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (i < a.length) out.push(a[i] as T);
    if (i < b.length) out.push(b[i] as T);
  }
  return out;
}

/**
 * Spreads `events` over `shards` shards as random partition keys do (each
 * event to a uniformly chosen shard), or as VIN keys do (a truck's events
 * all to the shard its VIN hashes to; driver events anywhere), order kept
 * within a shard, and cuts each shard into batches of `batchSize` records.
 */
export function shardBatches(
  events: readonly OopsEvent[],
  {
    shards,
    batchSize,
    seed,
    partitionKey = "random",
  }: { shards: number; batchSize: number; seed: number; partitionKey?: "random" | "vin" },
): KinesisStreamRecord[][][] {
  const random = createRandom(seed);
  const perShard: OopsEvent[][] = Array.from({ length: shards }, () => []);
  for (const event of events) {
    const keyed = partitionKey === "vin" && "vehicle" in event;
    const shard = keyed ? shardOfVin(event.vehicle.vin, shards) : random.int(0, shards - 1);
    perShard[shard]?.push(event);
  }
  return perShard.map((list) => {
    const next = sequencer();
    const records = list.map((event) => kinesisRecord(event, next()));
    const batches: KinesisStreamRecord[][] = [];
    for (let i = 0; i < records.length; i += batchSize) {
      batches.push(records.slice(i, i + batchSize));
    }
    return batches;
  });
}

/** The three streams, `count` events each, in the order they must be replayed. */
export function chapterStreams({
  count,
  seed,
  shards = 2,
  batchSize = 100,
}: StreamOptions): Stream[] {
  const half = Math.ceil(count / 2);
  const forward = [...events({ seed, count: count + half })];
  const backwards = [...events({ seed: seed + 1, direction: "backwards", count: count + half })];
  const lists: Record<StreamName, OopsEvent[]> = {
    forward: forward.slice(0, count),
    backwards: backwards.slice(0, count),
    both: interleave(forward.slice(count), backwards.slice(count)).slice(0, count),
  };
  return STREAM_NAMES.map((name, i) => ({
    name,
    events: lists[name],
    shards: shardBatches(lists[name], { shards, batchSize, seed: seed + 10 + i }),
  }));
}

/** Feeds a stream to `write`: each shard's batches in order, the shards concurrently. */
export async function feed(
  stream: Stream,
  write: (records: readonly KinesisStreamRecord[], shard: number) => Promise<void>,
): Promise<void> {
  await Promise.all(
    stream.shards.map(async (batches, shard) => {
      for (const batch of batches) await write(batch, shard);
    }),
  );
}
