import {
  ConditionalCheckFailedException,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  ScanCommand,
  UpdateItemCommand,
} from "@aws-sdk/client-dynamodb";
import { marshall, unmarshall } from "@aws-sdk/util-dynamodb";
import fc from "fast-check";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { plan, type Row } from "../../core/mod.ts";
import { row, VINS } from "../../core/testing/arbitraries.ts";
import { check } from "../../core/testing/property.ts";
import { dynamoClient } from "../clients.ts";
import { createTable } from "../resources.ts";
import { readTable } from "../table.ts";
import { startDynalite } from "./dynalite.ts";
import type { Emulator } from "./process.ts";
import { type RoundTrip, startRoundTrip } from "./round_trip.ts";

let dynalite: Emulator;
let admin: DynamoDBClient;
let model: RoundTrip;
let client: DynamoDBClient;
let tables = 0;

test.before(async () => {
  dynalite = await startDynalite();
  admin = dynamoClient(dynalite.endpoint);
  model = await startRoundTrip(dynalite.endpoint, 2);
  client = dynamoClient(model.endpoint, { maxAttempts: 1 });
});

test.after(async () => {
  client?.destroy();
  admin?.destroy();
  await model?.stop();
  await dynalite?.stop();
});

/** The handler's combined conditional write of `r`; whether the table took it, and what it returned if not. */
async function write(tableName: string, r: Row) {
  const p = plan(r);
  try {
    await client.send(
      new UpdateItemCommand({
        TableName: tableName,
        Key: marshall(p.key),
        UpdateExpression: p.update,
        ConditionExpression: p.condition,
        ExpressionAttributeNames: { ...p.names },
        ExpressionAttributeValues: marshall(p.values),
        ReturnValuesOnConditionCheckFailure: "ALL_OLD",
      }),
    );
    return { applied: true };
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
    return { applied: false, item: error.Item && unmarshall(error.Item) };
  }
}

test("concurrent conditional writes: dynalite agrees with every answer, and holds the same table", async () => {
  const writes = fc.array(fc.tuple(fc.constantFrom(...VINS), row()), { maxLength: 12 });
  await check(
    fc.asyncProperty(writes, async (list) => {
      const tableName = `round-trip-${++tables}`;
      await createTable(admin, tableName);
      const results = await Promise.all(list.map(([vin, r]) => write(tableName, { ...r, vin })));
      const reads = await Promise.all(
        [...VINS]
          .sort()
          .map((vin) =>
            client.send(new GetItemCommand({ TableName: tableName, Key: marshall({ vin }) })),
          ),
      );
      for (const result of results) {
        if (!result.applied) assert.ok(result.item, "a refusal carries the stored item");
      }
      await model.verify();
      const held = reads.flatMap(({ Item }) => (Item === undefined ? [] : [unmarshall(Item)]));
      assert.equal(await readTable(admin, tableName), held);
    }),
    25,
  );
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
  const tableName = `round-trip-${++tables}`;
  await createTable(admin, tableName);
  const vin = VINS[0];
  // Behind the model's back: dynalite holds a newer mileage, the model nothing.
  await admin.send(
    new PutItemCommand({ TableName: tableName, Item: marshall({ vin, mileage: 100 }) }),
  );
  assert.equal(await write(tableName, { vin, mileage: 1 }), { applied: true });
  try {
    await model.verify();
    assert.unreachable("the disagreement was not seen");
  } catch (error) {
    assert.match(String(error), /the model said applied, dynalite refused/);
  }
});

test.run();
