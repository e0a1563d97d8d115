/**
 * The cost section's measurement: the chapter's three streams replayed
 * through each strategy on a table of its own in dynalite, two shards
 * concurrently, counting the requests each sends (ours on a warm container
 * per shard, which keeps its floor from stream to stream, as Lambda keeps a
 * container between invocations); then every final table checked against
 * the oracle's, and ours run again with VIN partition keys.
 *
 * @module
 */

import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { dynamoClient } from "../aws/clients.ts";
import { startDynalite } from "../aws/emulators/dynalite.ts";
import { createTable } from "../aws/resources.ts";
import { readTable } from "../aws/table.ts";
import { expectedTable } from "../core/testing/oracle.ts";
import {
  type CostFigures,
  costRows,
  type StrategyRun,
  type StreamCounts,
  writeRatios,
} from "./cost_figures.ts";
import { vinKeyedForward } from "./cost_vin_keyed.ts";
import { type Counter, countRequests, minus } from "./counting.ts";
import { assertSameTable } from "./same_table.ts";
import { STRATEGIES, type Strategy, type StrategyName, strategy } from "./strategies.ts";
import { chapterStreams, feed, type Stream, type StreamName } from "./streams.ts";

/** The shards and batch size every stream is replayed with, the VIN-keyed one too. */
const SHARDS = 2;
const BATCH_SIZE = 100;

/** Replays every stream through one strategy; the counts of each stream. */
async function run(
  s: Strategy,
  counter: Counter,
  streams: readonly Stream[],
): Promise<Map<StreamName, StreamCounts>> {
  const out = new Map<StreamName, StreamCounts>();
  const skipped = () => s.reported?.().skippedByFloor ?? 0;
  for (const stream of streams) {
    const before = counter.now();
    const skippedBefore = skipped();
    await feed(stream, (records, shard) => s.write(records, shard));
    out.set(stream.name, {
      ...minus(counter.now(), before),
      skippedByFloor: skipped() - skippedBefore,
    });
  }
  return out;
}

/** Measures the cost of each strategy on `count` events per stream. */
export async function measureCost(count: number, seed: number): Promise<CostFigures> {
  const started = performance.now();
  const streams = chapterStreams({ count, seed, shards: SHARDS, batchSize: BATCH_SIZE });
  const dynalite = await startDynalite();
  const clients: DynamoDBClient[] = [];
  try {
    const client = () => {
      const c = dynamoClient(dynalite.endpoint);
      clients.push(c);
      return c;
    };
    const admin = client();
    const runs = await Promise.all(
      STRATEGIES.map((name) => runStrategy(name, admin, client(), streams)),
    );
    const expected = expectedTable(streams.flatMap((s) => s.events));
    for (const r of runs) {
      assertSameTable(`cost: the ${r.name} table differs from the oracle's`, r.table, expected);
    }
    const rows = costRows(streams, runs);
    const forward = streams[0] as Stream;
    return {
      eventsPerStream: count,
      shards: SHARDS,
      batchSize: BATCH_SIZE,
      rows,
      ratios: writeRatios(rows),
      trucks: expected.length,
      vinKeyed: await vinKeyedForward(admin, client(), forward, {
        shards: SHARDS,
        batchSize: BATCH_SIZE,
        seed,
      }),
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    for (const c of clients) c.destroy();
    await dynalite.stop();
  }
}

/**
 * Replays every stream through strategy `name` on a table of its own, sending
 * through `dynamo` (counted); the table is read back through `admin`.
 */
async function runStrategy(
  name: StrategyName,
  admin: DynamoDBClient,
  dynamo: DynamoDBClient,
  streams: readonly Stream[],
): Promise<StrategyRun> {
  const tableName = `bench-${name}`;
  await createTable(admin, tableName);
  const counter = countRequests(dynamo);
  const s = strategy(name, { dynamo, tableName });
  const counts = await run(s, counter, streams);
  assertReportedAsSent(name, s, counts);
  return { name, counts, table: await readTable(admin, tableName) };
}

/** A strategy that counts its own requests must count what its client sent. */
function assertReportedAsSent(
  name: StrategyName,
  s: Strategy,
  counts: Map<StreamName, StreamCounts>,
): void {
  const reported = s.reported?.();
  const sent = [...counts.values()];
  const updates = sent.reduce((sum, c) => sum + c.updates, 0);
  const gets = sent.reduce((sum, c) => sum + c.gets, 0);
  if (reported && (reported.writeRequests !== updates || reported.storedReads !== gets)) {
    throw new Error(
      `${name}: the handler reported ${JSON.stringify(reported)}, the client sent ${updates} updates and ${gets} reads`,
    );
  }
}
