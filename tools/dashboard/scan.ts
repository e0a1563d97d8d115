/**
 * Reads the whole truck table: a paginated Scan of just the attributes the
 * dashboard shows. The only permission it needs is `dynamodb:Scan` on the
 * table. Reads are eventually consistent (half the cost of consistent ones);
 * a row a second old is as good as any on a dashboard refreshed every second.
 *
 * @module
 */
import { type AttributeValue, type DynamoDBClient, ScanCommand } from "@aws-sdk/client-dynamodb";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import type { Item } from "../../core/mod.ts";
import { ATTRIBUTES } from "../../core/mod.ts";

/** `#a0, #a1, …` for every attribute of the design card (some names hold hyphens). */
const names = Object.fromEntries(Object.values(ATTRIBUTES).map((name, i) => [`#a${i}`, name]));
const projection = Object.keys(names).join(", ");

/** Every item of `table`, following `LastEvaluatedKey` to the end. */
export async function scanTable(
  dynamo: DynamoDBClient,
  table: string,
  signal?: AbortSignal,
): Promise<Item[]> {
  const items: Item[] = [];
  let start: Record<string, AttributeValue> | undefined;
  do {
    const page = await dynamo.send(
      new ScanCommand({
        TableName: table,
        ProjectionExpression: projection,
        ExpressionAttributeNames: names,
        ExclusiveStartKey: start,
      }),
      { abortSignal: signal },
    );
    for (const item of page.Items ?? []) items.push(unmarshall(item));
    start = page.LastEvaluatedKey;
  } while (start !== undefined);
  return items;
}
