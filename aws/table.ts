/**
 * The truck table as plain items: read it whole, write items into it, empty
 * it between property cases. One reader for everything that shows or checks
 * the table (tests, `make status`, the dashboard, the local view), against
 * dynalite or DynamoDB alike.
 *
 * @module
 */

import {
  type AttributeValue,
  BatchWriteItemCommand,
  type DynamoDBClient,
  PutItemCommand,
  ScanCommand,
} from "@aws-sdk/client-dynamodb";
import { marshall, unmarshall } from "@aws-sdk/util-dynamodb";
import type { Item } from "../core/mod.ts";
import { createTable } from "./resources.ts";

/** How to read. */
export interface ReadOptions {
  /**
   * Strongly consistent (the default): a test that just saw the pipeline
   * finish must not be fooled by a stale replica. A display refreshed every
   * second passes `false`, for half the read cost.
   */
  readonly consistent?: boolean;
  readonly signal?: AbortSignal | undefined;
}

/** Every item of `table`, unmarshalled, sorted by VIN (the oracle's order). */
export async function readTable(
  dynamo: DynamoDBClient,
  table: string,
  { consistent = true, signal }: ReadOptions = {},
): Promise<Item[]> {
  const items: Item[] = [];
  let start: Record<string, AttributeValue> | undefined;
  do {
    const page = await dynamo.send(
      new ScanCommand({ TableName: table, ConsistentRead: consistent, ExclusiveStartKey: start }),
      { abortSignal: signal },
    );
    for (const item of page.Items ?? []) items.push(unmarshall(item));
    start = page.LastEvaluatedKey;
  } while (start !== undefined);
  return items.sort((a, b) => (String(a.vin) < String(b.vin) ? -1 : 1));
}

/** Writes (replaces) items, one request each, as a writer behind the pipeline's back would. */
export async function putItems(
  dynamo: DynamoDBClient,
  table: string,
  items: readonly Item[],
): Promise<void> {
  for (const item of items) {
    await dynamo.send(new PutItemCommand({ TableName: table, Item: marshall(item) }));
  }
}

/** A new table holding `items`: a display's or a test's starting point. */
export async function seedTable(
  dynamo: DynamoDBClient,
  table: string,
  items: readonly Item[],
): Promise<void> {
  await createTable(dynamo, table);
  await putItems(dynamo, table, items);
}

/** Deletes the items of these VINs (at most 25), present or not. */
export async function clearTable(
  dynamo: DynamoDBClient,
  table: string,
  vins: readonly string[],
): Promise<void> {
  if (vins.length === 0) return;
  const { UnprocessedItems = {} } = await dynamo.send(
    new BatchWriteItemCommand({
      RequestItems: {
        [table]: vins.map((vin) => ({ DeleteRequest: { Key: marshall({ vin }) } })),
      },
    }),
  );
  if (Object.keys(UnprocessedItems).length > 0) throw new Error(`${table}: items left undeleted`);
}
