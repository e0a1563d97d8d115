import {
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  ScanCommand,
  UpdateItemCommand,
} from "@aws-sdk/client-dynamodb";
import { marshall, unmarshall } from "@aws-sdk/util-dynamodb";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { VINS } from "../../core/testing/arbitraries.ts";
import { createTable } from "../resources.ts";
import { type ModelledDynamo, startModelledDynamo } from "./round_trip.ts";

let stack: ModelledDynamo;
let client: DynamoDBClient;
let tables = 0;
const vin = VINS[0];

test.before(async () => {
  stack = await startModelledDynamo(2);
  client = stack.client;
});

test.after(() => stack?.stop());

/** A new table in dynalite (the model takes any name). */
async function freshTable(): Promise<string> {
  const tableName = `round-trip-${++tables}`;
  await createTable(stack.admin, tableName);
  return tableName;
}

/** The chapter's mileage write: set it where the stored one is absent or lower. */
const raiseMileage = (tableName: string, mileage: number) =>
  new UpdateItemCommand({
    TableName: tableName,
    Key: marshall({ vin }),
    UpdateExpression: "SET #m = :m",
    ConditionExpression: "attribute_not_exists(#m) OR #m < :m",
    ExpressionAttributeNames: { "#m": "mileage" },
    ExpressionAttributeValues: marshall({ ":m": mileage }),
    ReturnValuesOnConditionCheckFailure: "ALL_OLD",
  });

test("a refused write carries the stored item; reads see the writes; dynalite agrees", async () => {
  const tableName = await freshTable();
  await client.send(raiseMileage(tableName, 10));
  try {
    await client.send(raiseMileage(tableName, 5));
    assert.unreachable("an older mileage was let in");
  } catch (error) {
    assert.equal(unmarshall((error as { Item: never }).Item), { vin, mileage: 10 });
  }
  const { Item } = await client.send(
    new GetItemCommand({ TableName: tableName, Key: marshall({ vin }) }),
  );
  assert.equal(Item && unmarshall(Item), { vin, mileage: 10 });
  assert.is(await stack.model.verify(), 3);
  assert.equal(stack.model.answered, { UpdateItem: 2, GetItem: 1 });
});

test("anything but UpdateItem and GetItem is refused as not modelled", async () => {
  try {
    await client.send(new ScanCommand({ TableName: "anything" }));
    assert.unreachable("a scan was answered");
  } catch (error) {
    assert.match(String(error), /Scan is not modelled/);
  }
});

test("verify names the first answer dynalite does not share", async () => {
  const tableName = await freshTable();
  // Behind the model's back: dynalite holds a higher mileage, the model nothing.
  await stack.admin.send(
    new PutItemCommand({ TableName: tableName, Item: marshall({ vin, mileage: 100 }) }),
  );
  await client.send(raiseMileage(tableName, 1));
  try {
    await stack.model.verify();
    assert.unreachable("the disagreement was not seen");
  } catch (error) {
    assert.match(String(error), /the model said applied, dynalite refused/);
  }
});

test.run();
