/**
 * The scale model: how much pre-aggregation saves as the fleet grows, replayed
 * through core's reduce alone (no emulator). Events of a fleet are spread over
 * shards by partition key, each shard's sequence is cut into batches, each
 * batch reduced to one row per VIN: one DynamoDB write per row.
 *
 * @module
 */

import { map, type OopsEvent, reduce } from "../core/mod.ts";

export interface ScaleCase {
  readonly trucks: number;
  readonly partitionKey: "random" | "vin";
  readonly batchSize: number;
  readonly shards: number;
}

export interface ScaleResult extends ScaleCase {
  readonly events: number;
  /** Writes per 1,000 events (the chapter's naive strategy costs 1,000 or more). */
  readonly writesPer1000: number;
  /** DynamoDB writes per second at 1,000 events/s, the same number by construction. */
  readonly writesPerSecondAt1000: number;
  /** Seconds one shard needs to fill a batch at 1,000 events/s (the batching window must allow it). */
  readonly secondsToFillBatch: number;
}

/** A small deterministic PRNG (mulberry32), so the model is reproducible. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A VIN for truck number `n` (ISO 3779 alphabet, 17 characters). */
export function vinOf(n: number): string {
  return `SCALE${n.toString().padStart(12, "0")}`;
}

/** FNV-1a: the shard a VIN partition key hashes to (Kinesis hashes MD5; any uniform hash models it). */
export function shardOfVin(vin: string, shards: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < vin.length; i++) h = Math.imul(h ^ vin.charCodeAt(i), 0x01000193);
  return (h >>> 0) % shards;
}

/** `count` truck events of a fleet, each from a uniformly chosen truck, one minute apart. */
export function* fleetEvents(
  trucks: number,
  count: number,
  random: () => number,
): Generator<OopsEvent> {
  const start = Date.UTC(2018, 0, 1);
  for (let i = 0; i < count; i++) {
    const vin = vinOf(Math.floor(random() * trucks));
    yield {
      event: "TRUCK_DEPARTS",
      timestamp: new Date(start + i * 60_000).toISOString(),
      vehicle: { vin, mileage: i },
      location: { latitude: 51.5, longitude: -0.1, elevation: 7 },
    };
  }
}

/** Replays `events` events of the case through shards, batches and reduce; counts the writes. */
export function simulate(c: ScaleCase, events: number, seed = 1): ScaleResult {
  const random = prng(seed);
  const pending: OopsEvent[][] = Array.from({ length: c.shards }, () => []);
  let writes = 0;
  const flush = (shard: OopsEvent[]) => {
    writes += reduce(shard.map(map)).length;
    shard.length = 0;
  };
  for (const e of fleetEvents(c.trucks, events, random)) {
    const vin = "vehicle" in e ? e.vehicle.vin : "";
    const index =
      c.partitionKey === "vin" ? shardOfVin(vin, c.shards) : Math.floor(random() * c.shards);
    const shard = pending[index] as OopsEvent[];
    shard.push(e);
    if (shard.length === c.batchSize) flush(shard);
  }
  for (const shard of pending) if (shard.length > 0) flush(shard);
  const writesPer1000 = (writes / events) * 1000;
  return {
    ...c,
    events,
    writesPer1000,
    writesPerSecondAt1000: writesPer1000,
    secondsToFillBatch: c.batchSize / (1000 / c.shards),
  };
}

/** Every combination the README's chart shows. */
export function scaleCases(): ScaleCase[] {
  const cases: ScaleCase[] = [];
  for (const trucks of [3, 1_000, 100_000])
    for (const partitionKey of ["random", "vin"] as const)
      for (const batchSize of [100, 1_000, 10_000])
        for (const shards of [2, 16]) cases.push({ trucks, partitionKey, batchSize, shards });
  return cases;
}
