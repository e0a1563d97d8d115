/**
 * The chapter's DynamoDB writer (listing 11.4, Writer.scala), ported as is:
 * `conditionalWrite(row)` sends up to three `UpdateItem`s, one by one, each
 * guarded on its own attribute (mileage, mileage at oil change, location),
 * and swallows the refusals. It is the baseline of the cost and latency
 * sections, applied either to every event (figure 11.8, "naive") or to the
 * batch reduced per truck (listing 11.5, "chapter").
 *
 * One change: the location guard breaks timestamp ties on (latitude,
 * longitude) like the design card. The chapter's `#ts < :ts` keeps whichever
 * of two same-second positions was written first, so its table would depend
 * on arrival order and could not be compared with ours; the number of
 * requests is the same either way.
 *
 * @module
 */

import {
  ConditionalCheckFailedException,
  type DynamoDBClient,
  UpdateItemCommand,
} from "@aws-sdk/client-dynamodb";
import { marshall } from "@aws-sdk/util-dynamodb";
import type { KinesisStreamRecord } from "aws-lambda";
import { ATTRIBUTES, decode, map, type Row } from "../core/mod.ts";

/** Where the writer writes. */
export interface TableRef {
  readonly dynamo: DynamoDBClient;
  readonly tableName: string;
}

/** Writer.updateIf: one conditional UpdateItem; a refused condition is not an error. */
async function updateIf(
  table: TableRef,
  vin: string,
  update: string,
  condition: string,
  values: Record<string, string | number>,
  names: Record<string, string>,
): Promise<void> {
  try {
    await table.dynamo.send(
      new UpdateItemCommand({
        TableName: table.tableName,
        Key: marshall({ vin }),
        UpdateExpression: update,
        ConditionExpression: condition,
        ExpressionAttributeValues: marshall(values),
        ExpressionAttributeNames: names,
      }),
    );
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
  }
}

/** Writer.conditionalWrite: mileage, then oil change and location if the row has them, in turn. */
export async function conditionalWrite(table: TableRef, row: Row): Promise<void> {
  await updateIf(
    table,
    row.vin,
    "SET #m = :m",
    "attribute_not_exists(#m) OR #m < :m",
    { ":m": row.mileage },
    { "#m": ATTRIBUTES.mileage },
  );
  if (row.mileageAtOilChange !== undefined) {
    await updateIf(
      table,
      row.vin,
      "SET #maoc = :maoc",
      "attribute_not_exists(#maoc) OR #maoc < :maoc",
      { ":maoc": row.mileageAtOilChange },
      { "#maoc": ATTRIBUTES.mileageAtOilChange },
    );
  }
  if (row.location !== undefined) {
    const { timestamp, latitude, longitude } = row.location;
    await updateIf(
      table,
      row.vin,
      "SET #ts = :ts, #lat = :lat, #long = :long",
      "attribute_not_exists(#ts) OR #ts < :ts OR " +
        "(#ts = :ts AND (#lat < :lat OR (#lat = :lat AND #long < :long)))",
      { ":ts": timestamp, ":lat": latitude, ":long": longitude },
      { "#ts": ATTRIBUTES.timestamp, "#lat": ATTRIBUTES.latitude, "#long": ATTRIBUTES.longitude },
    );
  }
}

/**
 * The rows of a batch's truck events, in record order (the chapter's
 * `Event.fromBytes` then `Aggregator.map`, done with core's decode and map).
 * Throws on an undecodable record: the bench only replays valid events.
 */
export function rowsOf(records: readonly KinesisStreamRecord[]): Row[] {
  const rows: Row[] = [];
  for (const record of records) {
    const result = decode(Buffer.from(record.kinesis.data, "base64"));
    if (!result.ok) throw new Error(`bench replayed an invalid record: ${result.reason}`);
    const row = map(result.event);
    if (row !== undefined) rows.push(row);
  }
  return rows;
}
