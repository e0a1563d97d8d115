/**
 * The handler's conditional write loop through the round-trip model
 * (aws/emulators/round_trip.ts), which the bench's latency and cold-start
 * figures rely on: trucks written concurrently, refused writes narrowed, and
 * dynalite, replaying every request in the model's order, gives the same
 * answers and holds the same table, the merge of the rows. The model
 * returns the stored item with a refusal, as DynamoDB does, so the loop
 * sends no reads.
 */
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import fc from "fast-check";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { type ModelledDynamo, startModelledDynamo } from "../aws/emulators/round_trip.ts";
import { createTable } from "../aws/resources.ts";
import { readTable } from "../aws/table.ts";
import { reduce, toItem } from "../core/mod.ts";
import { row, VINS } from "../core/testing/arbitraries.ts";
import { check } from "../core/testing/property.ts";
import { noWrites, writeRow } from "./write.ts";

let stack: ModelledDynamo;
let dynamo: DynamoDBClient;
let tables = 0;

test.before(async () => {
  stack = await startModelledDynamo(1);
  dynamo = stack.client;
});

test.after(() => stack?.stop());

test("concurrent writers through the model: dynalite agrees, and holds the merge", async () => {
  const writes = fc.array(fc.tuple(fc.constantFrom(...VINS), row()), { maxLength: 12 });
  let refusals = 0;
  await check(
    fc.asyncProperty(writes, async (list) => {
      const tableName = `round-trip-${++tables}`;
      await createTable(stack.admin, tableName);
      const counts = noWrites();
      const rows = list.map(([vin, r]) => ({ ...r, vin }));
      await Promise.all(rows.map((r) => writeRow({ dynamo, tableName }, r, counts)));
      refusals += counts.conditionFailures;
      assert.is(counts.storedReads, 0, "a refusal came without the stored item");
      await stack.model.verify();
      assert.equal(await readTable(stack.admin, tableName), reduce(rows).map(toItem));
    }),
    25,
  );
  assert.ok(refusals > 0, "no write was ever refused");
});

test.run();
