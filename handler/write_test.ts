import {
  ConditionalCheckFailedException,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  ResourceNotFoundException,
} from "@aws-sdk/client-dynamodb";
import { marshall, unmarshall } from "@aws-sdk/util-dynamodb";
import fc from "fast-check";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { dynamoClient } from "../aws/clients.ts";
import { startDynalite } from "../aws/emulators/dynalite.ts";
import type { Emulator } from "../aws/emulators/process.ts";
import { createTable } from "../aws/resources.ts";
import { clearTable, readTable } from "../aws/table.ts";
import { joinKnown, type Row, reduce, toItem } from "../core/mod.ts";
import { row as rowOf } from "../core/testing/arbitraries.ts";
import { check } from "../core/testing/property.ts";
import { createFloor } from "./floor.ts";
import { MAX_WRITES, noWrites, type Table, writeRow } from "./write.ts";

const VIN = "1HGCM82633A004352";
let dynalite: Emulator;
let dynamo: DynamoDBClient;
let tables = 0;

/** A fresh, empty table per test. */
async function freshTable(): Promise<Table> {
  const tableName = `trucks-${++tables}`;
  await createTable(dynamo, tableName);
  return { dynamo, tableName };
}

const at = (timestamp: string, latitude = 51.5, longitude = -0.1) => ({
  timestamp,
  latitude,
  longitude,
});

const newer: Row = {
  vin: VIN,
  mileage: 12453,
  mileageAtOilChange: 12418,
  location: at("2018-08-02T21:50:49.000Z"),
};
const older: Row = {
  vin: VIN,
  mileage: 12400,
  mileageAtOilChange: 12000,
  location: at("2018-08-01T10:00:00.000Z"),
};

test.before(async () => {
  dynalite = await startDynalite();
  dynamo = dynamoClient(dynalite.endpoint);
});

test.after(async () => {
  dynamo?.destroy();
  await dynalite?.stop();
});

test("in order: one write sets every part", async () => {
  const table = await freshTable();
  const counts = noWrites();
  await writeRow(table, newer, counts);
  assert.equal(counts, { ...noWrites(), writeRequests: 1 });
  assert.equal(await readTable(dynamo, table.tableName), [toItem(newer)]);
});

test("backwards: one refused write and one read, and nothing changes", async () => {
  const table = await freshTable();
  await writeRow(table, newer, noWrites());
  const counts = noWrites();
  await writeRow(table, older, counts);
  assert.equal(counts, { ...noWrites(), writeRequests: 1, conditionFailures: 1, storedReads: 1 });
  assert.equal(await readTable(dynamo, table.tableName), [toItem(newer)]);
});

test("a replay of the same row is a harmless success", async () => {
  const table = await freshTable();
  await writeRow(table, newer, noWrites());
  const counts = noWrites();
  await writeRow(table, newer, counts);
  assert.equal(counts, { ...noWrites(), writeRequests: 1 });
});

test("mixed: the refused write is narrowed to the parts still newer", async () => {
  const table = await freshTable();
  // The oil change of figure 11.5 arrives after the truck's later departure.
  await writeRow(
    table,
    { vin: VIN, mileage: 12453, location: at("2018-08-02T21:50:49.000Z") },
    noWrites(),
  );
  const counts = noWrites();
  await writeRow(table, { vin: VIN, mileage: 12418, mileageAtOilChange: 12418 }, counts);
  assert.equal(counts, { ...noWrites(), writeRequests: 2, conditionFailures: 1, storedReads: 1 });
  assert.equal(await readTable(dynamo, table.tableName), [toItem(newer)]);
});

test("a stored item that does not move forward fails after the bound, never loops", async () => {
  const table = await freshTable();
  // A mileage of the wrong type: every condition on it fails, and core reads it as missing.
  await dynamo.send(
    new PutItemCommand({
      TableName: table.tableName,
      Item: marshall({ vin: VIN, mileage: "12453" }),
    }),
  );
  const counts = noWrites();
  try {
    await writeRow(table, newer, counts);
    assert.unreachable("the write should fail");
  } catch (error) {
    assert.match(String(error), /still newer after 3 refused writes/);
  }
  assert.equal(counts, {
    ...noWrites(),
    writeRequests: MAX_WRITES,
    conditionFailures: MAX_WRITES,
    storedReads: MAX_WRITES,
  });
});

test("any other error is the caller's, after one request", async () => {
  const counts = noWrites();
  try {
    await writeRow({ dynamo, tableName: "no-such-table" }, newer, counts);
    assert.unreachable("the write should fail");
  } catch (error) {
    assert.instance(error, ResourceNotFoundException);
  }
  assert.equal(counts, { ...noWrites(), writeRequests: 1 });
});

test("the stored item returned with a refusal (real DynamoDB) saves the read", async () => {
  const sent: unknown[] = [];
  const refusing = {
    send: async (command: { input: unknown }) => {
      sent.push(command.input);
      if (sent.length > 1) return {};
      throw new ConditionalCheckFailedException({
        message: "The conditional request failed",
        $metadata: {},
        Item: marshall({ vin: VIN, mileage: 20000 }),
      });
    },
  } as unknown as DynamoDBClient;
  const counts = noWrites();
  await writeRow({ dynamo: refusing, tableName: "t" }, newer, counts);
  assert.equal(counts, { ...noWrites(), writeRequests: 2, conditionFailures: 1 });
  const second = sent[1] as { UpdateExpression: string };
  assert.is(second.UpdateExpression, "SET #oil = :oil, #ts = :ts, #lat = :lat, #lon = :lon");
});

test("concurrent writers of one truck converge to the merge of their rows", async () => {
  const table = await freshTable();
  const row = fc.record(
    {
      vin: fc.constant(VIN),
      mileage: fc.integer({ min: 0, max: 20 }),
      mileageAtOilChange: fc.integer({ min: 0, max: 20 }),
      location: fc.record({
        timestamp: fc.constantFrom("2018-01-01T00:00:00.000Z", "2018-01-01T00:01:00.000Z"),
        latitude: fc.constantFrom(0, 1),
        longitude: fc.constantFrom(0, 1),
      }),
    },
    { requiredKeys: ["vin", "mileage"] },
  );
  let cases = 0;
  await check(
    fc.asyncProperty(fc.array(row, { minLength: 2, maxLength: 5 }), async (rows) => {
      const vin = `${VIN.slice(0, 11)}${String(++cases).padStart(6, "0")}`;
      const mine = rows.map((r) => ({ ...r, vin }));
      await Promise.all(mine.map((r) => writeRow(table, r, noWrites())));
      const { Item } = await dynamo.send(
        new GetItemCommand({
          TableName: table.tableName,
          Key: marshall({ vin }),
          ConsistentRead: true,
        }),
      );
      assert.equal(Item && unmarshall(Item), toItem(reduce(mine)[0] as Row));
    }),
    20,
  );
});

/** A table with a floor on a clock the test moves, as one warm container sees it. */
async function withFloor(ttlMs = 60_000) {
  const clock = { now: 0 };
  const floor = createFloor({ maxTrucks: 100, ttlMs, now: () => clock.now });
  return { clock, floor, table: { ...(await freshTable()), floor } };
}

test("with a floor, a row that beats nothing known sends no request", async () => {
  const { table } = await withFloor();
  await writeRow(table, newer, noWrites());
  const counts = noWrites();
  await writeRow(table, older, counts);
  await writeRow(table, newer, counts); // a replay of what it wrote
  assert.equal(counts, { ...noWrites(), skippedByFloor: 2 });
  assert.equal(await readTable(dynamo, table.tableName), [toItem(newer)]);
});

test("with a floor, a refusal teaches the stored item, and the next stale row sends nothing", async () => {
  const { table, floor } = await withFloor();
  await writeRow({ dynamo, tableName: table.tableName }, newer, noWrites()); // another container
  const counts = noWrites();
  await writeRow(table, older, counts);
  await writeRow(table, older, counts);
  assert.equal(counts, {
    ...noWrites(),
    writeRequests: 1,
    conditionFailures: 1,
    storedReads: 1,
    skippedByFloor: 1,
  });
  assert.equal(floor.known(table.tableName, VIN), newer);
});

test("with a floor, only the parts that beat it are sent, so nothing is refused", async () => {
  const { table } = await withFloor();
  await writeRow(table, { vin: VIN, mileage: 12453, location: newer.location }, noWrites());
  const counts = noWrites();
  await writeRow(table, { vin: VIN, mileage: 12418, mileageAtOilChange: 12418 }, counts);
  assert.equal(counts, { ...noWrites(), writeRequests: 1 });
  assert.equal(await readTable(dynamo, table.tableName), [toItem(newer)]);
});

test("items deleted behind a warm container's back: parts are skipped until the TTL, no longer", async () => {
  const { table, clock } = await withFloor(60_000);
  await writeRow(table, newer, noWrites());
  await clearTable(dynamo, table.tableName, [VIN]);
  await writeRow(table, older, noWrites());
  assert.equal(await readTable(dynamo, table.tableName), [], "the known floor hides the deletion");
  clock.now = 60_000;
  await writeRow(table, older, noWrites());
  assert.equal(await readTable(dynamo, table.tableName), [toItem(older)]);
});

test("containers writing one truck at once, round after round: the merge, and floors below it", async () => {
  const { tableName } = await freshTable();
  const containers = [0, 1].map(() => createFloor({ maxTrucks: 100, ttlMs: 60_000 }));
  const rounds = fc.array(fc.array(rowOf(VIN), { minLength: 1, maxLength: 4 }), {
    minLength: 1,
    maxLength: 4,
  });
  let cases = 0;
  await check(
    fc.asyncProperty(rounds, async (generated) => {
      const vin = `${VIN.slice(0, 10)}Y${String(++cases).padStart(6, "0")}`;
      for (const round of generated) {
        await Promise.all(
          round.map((r, i) => {
            const floor = containers[i % containers.length];
            return writeRow({ dynamo, tableName, floor }, { ...r, vin }, noWrites());
          }),
        );
      }
      const stored = reduce(generated.flat().map((r) => ({ ...r, vin })))[0] as Row;
      const items = await readTable(dynamo, tableName);
      assert.equal(
        items.find((item) => item.vin === vin),
        toItem(stored),
      );
      for (const floor of containers) {
        const known = floor.known(tableName, vin) ?? {};
        assert.equal(joinKnown(known, stored), stored, "a floor above the table");
      }
    }),
    40,
  );
});

test.run();
