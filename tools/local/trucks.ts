/**
 * The truck table as plain items, sorted by VIN — the form of
 * `oracleTable`, so a test compares the two with one `equal`. Reads are
 * strongly consistent: a test that just saw the pipeline finish must not be
 * fooled by a stale replica (dynalite has none, DynamoDB has).
 *
 * @module
 */

import { type AttributeValue, type DynamoDBClient, ScanCommand } from "@aws-sdk/client-dynamodb";
import { unmarshall } from "@aws-sdk/util-dynamodb";

export type TruckItem = Record<string, string | number>;

/** Every item of `table`, sorted by `vin`. */
export async function readTrucks(dynamo: DynamoDBClient, table: string): Promise<TruckItem[]> {
  const items: TruckItem[] = [];
  let start: Record<string, AttributeValue> | undefined;
  do {
    const page = await dynamo.send(
      new ScanCommand({ TableName: table, ConsistentRead: true, ExclusiveStartKey: start }),
    );
    for (const item of page.Items ?? []) items.push(unmarshall(item) as TruckItem);
    start = page.LastEvaluatedKey;
  } while (start !== undefined);
  return items.sort((a, b) => (String(a.vin) < String(b.vin) ? -1 : 1));
}
