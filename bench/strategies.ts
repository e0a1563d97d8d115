/**
 * The three ways of turning a batch into DynamoDB writes that the bench
 * compares, on the same records:
 * - `naive`: figure 11.8, the chapter's conditional write for every truck
 *   event, one after the other: 2 requests per truck event (mileage, then
 *   oil change or location);
 * - `chapter`: listing 11.5, the batch reduced per truck, then the chapter's
 *   conditional write per truck, one after the other: up to 3 requests per
 *   truck per batch;
 * - `ours`: the handler's own `processBatch` (what the Lambda entry point
 *   calls), with its real configuration defaults: one combined request per
 *   truck per batch, trucks written concurrently, narrowed retries only when
 *   the table already knows better, nothing sent that a container's floor
 *   knows the table holds. Its containers stay warm across every batch and
 *   stream, as Lambda keeps them: one per shard, since Lambda runs one
 *   invocation per container at a time and each shard's batches in parallel
 *   with the other's.
 *
 * @module
 */

import type { KinesisStreamRecord } from "aws-lambda";
import { kinesisEvent } from "../aws/lambda/event.ts";
import { reduce } from "../core/mod.ts";
import { parseConfig } from "../handler/config.ts";
import { createFloor, type Floor } from "../handler/floor.ts";
import type { Log } from "../handler/log.ts";
import { processBatch } from "../handler/process.ts";
import type { Summary } from "../handler/summary.ts";
import { conditionalWrite, rowsOf, type TableRef } from "./chapter.ts";

export const STRATEGIES = ["naive", "chapter", "ours"] as const;
export type StrategyName = (typeof STRATEGIES)[number];

/** Writes batches, one shard's batch at a time per call. */
export interface Strategy {
  readonly name: StrategyName;
  /** Writes a batch of shard number `shard`. */
  write(records: readonly KinesisStreamRecord[], shard: number): Promise<void>;
  /** What the handler's own batch summaries counted (ours only): a cross-check of the middleware. */
  reported?(): { writeRequests: number; storedReads: number; skippedByFloor: number };
}

/** The strategy `name`, writing to `table`. */
export function strategy(name: StrategyName, table: TableRef): Strategy {
  switch (name) {
    case "naive":
      return {
        name,
        write: async (records) => {
          for (const row of rowsOf(records)) await conditionalWrite(table, row);
        },
      };
    case "chapter":
      return {
        name,
        write: async (records) => {
          for (const row of reduce(rowsOf(records))) await conditionalWrite(table, row);
        },
      };
    case "ours":
      return ours(table);
  }
}

function ours(table: TableRef): Strategy {
  const totals = { writeRequests: 0, storedReads: 0, skippedByFloor: 0 };
  const errors: object[] = [];
  const log: Log = {
    info: (fields) => {
      const summary = fields as Summary;
      totals.writeRequests += summary.writeRequests;
      totals.storedReads += summary.storedReads;
      totals.skippedByFloor += summary.skippedByFloor;
    },
    error: (fields) => errors.push(fields),
  };
  const config = parseConfig({ TABLE_NAME: table.tableName });
  const floors = new Map<number, Floor>();
  /** The floor of the shard's container. */
  const floorOf = (shard: number) => {
    const floor =
      floors.get(shard) ??
      createFloor({ maxTrucks: config.floorMaxTrucks, ttlMs: config.floorTtlSeconds * 1000 });
    floors.set(shard, floor);
    return floor;
  };
  return {
    name: "ours",
    write: async (records, shard) => {
      const deps = { dynamo: table.dynamo, config, log, floor: floorOf(shard) };
      const { batchItemFailures = [] } = await processBatch(kinesisEvent([...records]), deps, {
        functionName: "bench",
      });
      if (batchItemFailures.length > 0) {
        throw new Error(`handler reported a failed batch: ${JSON.stringify(errors.slice(-3))}`);
      }
    },
    reported: () => ({ ...totals }),
  };
}
