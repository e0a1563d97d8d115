/**
 * Test and benchmark support: a truck table in dynalite, seeded with the
 * chapter's trucks or any items, and written to directly (as the Lambda
 * function would) to make the dashboard see a change.
 *
 * @module
 */
import { type DynamoDBClient, PutItemCommand } from "@aws-sdk/client-dynamodb";
import { marshall } from "@aws-sdk/util-dynamodb";
import { createTable } from "../../aws/table.ts";
import type { Item } from "../../core/mod.ts";
import { CHAPTER_ITEMS } from "../../core/testing/fixtures.ts";

/** The three trucks of the chapter's table, as stored items. */
export const CHAPTER_TRUCKS: readonly Item[] = CHAPTER_ITEMS;

/** Writes (replaces) one item. */
export async function putTruck(dynamo: DynamoDBClient, table: string, item: Item): Promise<void> {
  await dynamo.send(new PutItemCommand({ TableName: table, Item: marshall(item) }));
}

/** Creates the table and writes `items` into it. */
export async function seedTable(
  dynamo: DynamoDBClient,
  table: string,
  items: readonly Item[] = CHAPTER_TRUCKS,
): Promise<void> {
  await createTable(dynamo, table);
  for (const item of items) await putTruck(dynamo, table, item);
}
