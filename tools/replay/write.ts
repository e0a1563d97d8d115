/**
 * The truth written into a table with the handler's own conditional writes
 * (`handler/write.ts`): one `UpdateItem` per truck for the whole replay,
 * more only where the table refuses a part because it holds newer, and then
 * only the parts still newer. Into the live table this is always safe: a
 * stored value newer than the truth is kept, an older one is brought up.
 *
 * @module
 */

import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { Row } from "../../core/mod.ts";
import { settleAll } from "../../handler/pool.ts";
import { noWrites, type WriteCounts, writeRow } from "../../handler/write.ts";

/** What writing the truth did. */
export interface Written extends WriteCounts {
  readonly trucks: number;
  /** Trucks whose write failed after the SDK's retries, with why: the replay can be run again. */
  readonly failed: { readonly vin: string; readonly error: string }[];
}

/** Writes each row, `concurrency` trucks at once; never throws for one truck's failure. */
export async function writeTruth(
  dynamo: DynamoDBClient,
  tableName: string,
  rows: Iterable<Row>,
  { concurrency = 16, onTruck }: { concurrency?: number; onTruck?: () => void } = {},
): Promise<Written> {
  const trucks = [...rows];
  const counts = noWrites();
  const table = { dynamo, tableName };
  const results = await settleAll(trucks, concurrency, async (row) => {
    await writeRow(table, row, counts);
    onTruck?.();
  });
  const failed = results.flatMap((result, i) =>
    result.status === "rejected"
      ? [{ vin: trucks[i]?.vin as string, error: String(result.reason) }]
      : [],
  );
  return { ...counts, trucks: trucks.length, failed };
}
