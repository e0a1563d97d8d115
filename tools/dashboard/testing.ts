/**
 * Test and benchmark support: a truck table in dynalite, seeded with the
 * chapter's trucks or any items, and written to directly (as the Lambda
 * function would) to make the dashboard see a change.
 *
 * @module
 */
import { setTimeout as sleep } from "node:timers/promises";
import {
  CreateTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  PutItemCommand,
} from "@aws-sdk/client-dynamodb";
import { marshall } from "@aws-sdk/util-dynamodb";
import type { Item } from "../../core/mod.ts";
import { CHAPTER_ITEMS } from "../../core/testing/fixtures.ts";

/** The three trucks of the chapter's table, as stored items. */
export const CHAPTER_TRUCKS: readonly Item[] = CHAPTER_ITEMS;

/**
 * Creates an on-demand table keyed by `vin`, as Terraform does, and waits
 * until it is ACTIVE (dynalite, even told to create at once, may take a
 * moment under load, and writes before then fail with "not found").
 */
export async function createTruckTable(dynamo: DynamoDBClient, table: string): Promise<void> {
  await dynamo.send(
    new CreateTableCommand({
      TableName: table,
      AttributeDefinitions: [{ AttributeName: "vin", AttributeType: "S" }],
      KeySchema: [{ AttributeName: "vin", KeyType: "HASH" }],
      BillingMode: "PAY_PER_REQUEST",
    }),
  );
  const deadline = Date.now() + 10_000;
  for (;;) {
    const { Table } = await dynamo.send(new DescribeTableCommand({ TableName: table }));
    if (Table?.TableStatus === "ACTIVE") return;
    if (Date.now() > deadline) throw new Error(`table ${table} not ACTIVE after 10 s`);
    await sleep(20);
  }
}

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
  await createTruckTable(dynamo, table);
  for (const item of items) await putTruck(dynamo, table, item);
}
