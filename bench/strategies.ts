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
 *   the table already knows better.
 *
 * @module
 */

import type { KinesisStreamRecord } from "aws-lambda";
import { kinesisEvent } from "../aws/lambda/event.ts";
import { reduce } from "../core/mod.ts";
import { parseConfig } from "../handler/config.ts";
import type { Log } from "../handler/log.ts";
import { processBatch } from "../handler/process.ts";
import type { Summary } from "../handler/summary.ts";
import { conditionalWrite, rowsOf, type TableRef } from "./chapter.ts";

export const STRATEGIES = ["naive", "chapter", "ours"] as const;
export type StrategyName = (typeof STRATEGIES)[number];

/** Writes batches, one shard's batch at a time per call. */
export interface Strategy {
  readonly name: StrategyName;
  write(records: readonly KinesisStreamRecord[]): Promise<void>;
  /** What the handler's own batch summaries counted (ours only): a cross-check of the middleware. */
  reported?(): { writeRequests: number; storedReads: number };
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
  const totals = { writeRequests: 0, storedReads: 0 };
  const errors: object[] = [];
  const log: Log = {
    info: (fields) => {
      const summary = fields as Summary;
      totals.writeRequests += summary.writeRequests;
      totals.storedReads += summary.storedReads;
    },
    error: (fields) => errors.push(fields),
  };
  const deps = { dynamo: table.dynamo, config: parseConfig({ TABLE_NAME: table.tableName }), log };
  return {
    name: "ours",
    write: async (records) => {
      const { batchItemFailures = [] } = await processBatch(kinesisEvent([...records]), deps);
      if (batchItemFailures.length > 0) {
        throw new Error(`handler reported a failed batch: ${JSON.stringify(errors.slice(-3))}`);
      }
    },
    reported: () => ({ ...totals }),
  };
}
