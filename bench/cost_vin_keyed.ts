/**
 * The cost section's VIN-keyed run: ours on the forward stream's events
 * again, spread over the shards by VIN partition keys, so that each truck
 * is on one shard and no two containers race on it. What is left of the
 * refusals of the random-keyed run is then the races alone.
 *
 * @module
 */

import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { createTable } from "../aws/resources.ts";
import { readTable } from "../aws/table.ts";
import { expectedTable } from "../core/testing/oracle.ts";
import { type CostFigures, per1000 } from "./cost_figures.ts";
import { countRequests } from "./counting.ts";
import { assertSameTable } from "./same_table.ts";
import { strategy } from "./strategies.ts";
import { feed, type Stream, shardBatches } from "./streams.ts";

/**
 * Ours on `forward`'s events spread over `shards` by VIN partition keys, in
 * batches of `batchSize`, on a table of its own.
 */
export async function vinKeyedForward(
  admin: DynamoDBClient,
  dynamo: DynamoDBClient,
  forward: Stream,
  layout: { shards: number; batchSize: number; seed: number },
): Promise<CostFigures["vinKeyed"]> {
  const tableName = "bench-ours-vin-keys";
  await createTable(admin, tableName);
  const counter = countRequests(dynamo);
  const ours = strategy("ours", { dynamo, tableName });
  const shards = shardBatches(forward.events, { ...layout, partitionKey: "vin" });
  await feed({ ...forward, shards }, (records, shard) => ours.write(records, shard));
  const table = await readTable(admin, tableName);
  assertSameTable(
    "cost: the ours (VIN keys) table differs from the oracle's",
    table,
    expectedTable(forward.events),
  );
  const { updates, conditionFailures } = counter.now();
  const events = forward.events.length;
  return {
    writesPer1000: per1000(updates, events),
    refusedPer1000: per1000(conditionFailures, events),
  };
}
