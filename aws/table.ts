/**
 * The truck table in a local DynamoDB, for tests: create it, read it whole,
 * empty it between property cases.
 *
 * @module
 */

import { setTimeout as sleep } from "node:timers/promises";
import {
  BatchWriteItemCommand,
  CreateTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  ScanCommand,
} from "@aws-sdk/client-dynamodb";
import { marshall, unmarshall } from "@aws-sdk/util-dynamodb";

/**
 * Creates the table as Terraform does (`vin` (S) as the only key, on demand)
 * and waits until it is ACTIVE: even with no delay, dynalite answers
 * CreateTable before the table accepts writes (which fail with "not found"
 * until then), and under load it may take a moment. Throws after 10 s.
 */
export async function createTable(dynamo: DynamoDBClient, name: string): Promise<void> {
  await dynamo.send(
    new CreateTableCommand({
      TableName: name,
      AttributeDefinitions: [{ AttributeName: "vin", AttributeType: "S" }],
      KeySchema: [{ AttributeName: "vin", KeyType: "HASH" }],
      BillingMode: "PAY_PER_REQUEST",
    }),
  );
  const deadline = Date.now() + 10_000;
  for (;;) {
    const { Table } = await dynamo.send(new DescribeTableCommand({ TableName: name }));
    if (Table?.TableStatus === "ACTIVE") return;
    if (Date.now() > deadline) throw new Error(`table ${name} not ACTIVE after 10 s`);
    await sleep(5);
  }
}

/** Every item, unmarshalled, sorted by VIN (the oracle's order). */
export async function scanTable(
  dynamo: DynamoDBClient,
  name: string,
): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await dynamo.send(
      new ScanCommand({
        TableName: name,
        ConsistentRead: true,
        ...(start ? { ExclusiveStartKey: marshall(start) } : {}),
      }),
    );
    items.push(...(page.Items ?? []).map((item) => unmarshall(item)));
    start = page.LastEvaluatedKey && unmarshall(page.LastEvaluatedKey);
  } while (start !== undefined);
  return items.sort((a, b) => String(a.vin).localeCompare(String(b.vin)));
}

/** Deletes the items of these VINs (at most 25), present or not. */
export async function clearTable(
  dynamo: DynamoDBClient,
  name: string,
  vins: readonly string[],
): Promise<void> {
  if (vins.length === 0) return;
  const { UnprocessedItems = {} } = await dynamo.send(
    new BatchWriteItemCommand({
      RequestItems: {
        [name]: vins.map((vin) => ({ DeleteRequest: { Key: marshall({ vin }) } })),
      },
    }),
  );
  if (Object.keys(UnprocessedItems).length > 0) throw new Error(`${name}: items left undeleted`);
}
