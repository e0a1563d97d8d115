/**
 * Writes the table refuses for good, end to end through the bundle with a
 * rejects stream: no accepted event is ever refused (decode's number limits
 * are DynamoDB's), and when the table refuses a truck anyway, its records go
 * to the rejects stream with the table's error while the rest of the batch
 * is written and the shard moves on.
 */
import { PutItemCommand } from "@aws-sdk/client-dynamodb";
import fc from "fast-check";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { type FaultProxy, startFaultProxy } from "../aws/emulators/fault_proxy.ts";
import { type Sandbox, startSandbox } from "../aws/emulators/sandbox.ts";
import { kinesisEvent, lambdaContext, recordsOf } from "../aws/lambda/event.ts";
import { type Captured, captureLogs } from "../aws/lambda/logs.ts";
import { NAMES } from "../aws/names.ts";
import { type Tail, tailStream } from "../aws/stream.ts";
import { clearTable, readTable } from "../aws/table.ts";
import { decode, type OopsEvent } from "../core/mod.ts";
import { VINS, wideTruckEvent } from "../core/testing/arbitraries.ts";
import { moves, oilChange, TRUCKS } from "../core/testing/events.ts";
import { newFleet } from "../core/testing/fleet.ts";
import { oracleTable } from "../core/testing/oracle.ts";
import { check } from "../core/testing/property.ts";
import type { Envelope } from "./rejects.ts";

const [A, B, C] = TRUCKS;
const HERE = [51.5, -0.1] as const;
const day = (hour: number) => `2018-08-02T${String(hour).padStart(2, "0")}:00:00.000Z`;

let sandbox: Sandbox;
let proxy: FaultProxy;
let logs: Captured;
let rejects: Tail;

test.before(async () => {
  sandbox = await startSandbox({ rejects: true });
  proxy = await startFaultProxy(sandbox.dynamoEndpoint);
  logs = captureLogs();
  rejects = await tailStream(
    sandbox.kinesis as NonNullable<Sandbox["kinesis"]>,
    NAMES.rejectsStream,
  );
});

test.before.each(async () => {
  proxy.decide = () => undefined;
  logs.lines.length = 0;
  await clearTable(sandbox.dynamo, NAMES.table, VINS);
  await rejects.next();
});

test.after(async () => {
  logs?.restore();
  await proxy?.stop();
  await sandbox?.stop();
});

/** The rejects that arrived since the last call, by sequence number. */
async function newRejects(): Promise<Map<string, Envelope>> {
  const envelopes = (await rejects.next()).map(({ text }) => JSON.parse(text) as Envelope);
  return new Map(envelopes.map((e) => [e.sequenceNumber, e]));
}

test("every event decode accepts is written: no number reaches the table that it refuses", async () => {
  const handler = await sandbox.load({ SDK_MAX_ATTEMPTS: "1" });
  const batches = fc.array(wideTruckEvent(), { minLength: 1, maxLength: 30 });
  let accepted = 0;
  await check(
    fc.asyncProperty(batches, async (generated) => {
      // The container stays warm across cases: each case has trucks of its own.
      const fleet = newFleet();
      const records = recordsOf(generated.map(fleet.rename));
      try {
        const response = await handler(kinesisEvent(records), lambdaContext());
        assert.equal(response, { batchItemFailures: [] });
        const valid = records.flatMap((r) => {
          const result = decode(Buffer.from(r.kinesis.data, "base64"));
          return result.ok ? [result.event] : [];
        });
        accepted += valid.length;
        assert.equal(logs.summaries().at(-1)?.rejectedUnwritable, 0);
        assert.equal(await readTable(sandbox.dynamo, NAMES.table), oracleTable(valid));
      } finally {
        await clearTable(sandbox.dynamo, NAMES.table, fleet.vins);
      }
    }),
    60,
  );
  assert.ok(accepted > 100, `only ${accepted} generated events were valid`);
});

const BATCH: OopsEvent[] = [
  moves(A, 100, day(1), HERE),
  moves(B, 200, day(2), HERE),
  oilChange(A, 150, day(3)),
  moves(C, 300, day(4), HERE),
];

test("a truck the table refuses goes to the rejects with the error; the rest is written", async () => {
  const handler = await sandbox.load({ AWS_ENDPOINT_URL_DYNAMODB: proxy.endpoint });
  proxy.decide = (seen) =>
    (seen.body.Key as { vin?: { S?: string } })?.vin?.S === A ? "invalid" : undefined;
  const records = recordsOf(BATCH);
  const response = await handler(kinesisEvent(records), lambdaContext());
  assert.equal(response, { batchItemFailures: [] });
  assert.equal(
    await readTable(sandbox.dynamo, NAMES.table),
    oracleTable(BATCH.slice(1, 2).concat(BATCH[3] as OopsEvent)),
  );
  const arrived = await newRejects();
  assert.equal(
    [...arrived.keys()],
    [records[0], records[2]].map((r) => r?.kinesis.sequenceNumber),
  );
  for (const i of [0, 2]) {
    const envelope = arrived.get(records[i]?.kinesis.sequenceNumber as string);
    assert.is(envelope?.data, records[i]?.kinesis.data);
    assert.match(
      envelope?.reason ?? "",
      `the table refused the write of truck ${A}: ValidationException`,
    );
  }
  const summary = logs.summaries().at(-1);
  assert.equal([summary?.rejected, summary?.rejectedUnwritable, summary?.failures], [2, 2, 0]);
});

test("an item that never lets a newer value in is refused for good, not retried forever", async () => {
  const handler = await sandbox.load();
  // A stored mileage of the wrong type: no numeric condition on it is ever true.
  await sandbox.dynamo.send(
    new PutItemCommand({ TableName: NAMES.table, Item: { vin: { S: B }, mileage: { S: "lots" } } }),
  );
  const records = recordsOf(BATCH);
  const response = await handler(kinesisEvent(records), lambdaContext());
  assert.equal(response, { batchItemFailures: [] });
  const arrived = await newRejects();
  assert.equal([...arrived.keys()], [records[1]?.kinesis.sequenceNumber]);
  assert.match(
    arrived.get(records[1]?.kinesis.sequenceNumber as string)?.reason ?? "",
    "StuckItemError",
  );
  const others = oracleTable(BATCH).filter((item) => item.vin !== B);
  const table = await readTable(sandbox.dynamo, NAMES.table);
  assert.equal(
    table.filter((item) => item.vin !== B),
    others,
  );
});

test("throttling is still retried from the truck's first record, not set aside", async () => {
  const handler = await sandbox.load({
    AWS_ENDPOINT_URL_DYNAMODB: proxy.endpoint,
    SDK_MAX_ATTEMPTS: "1",
  });
  proxy.decide = (seen) =>
    (seen.body.Key as { vin?: { S?: string } })?.vin?.S === A ? "throttle" : undefined;
  const records = recordsOf(BATCH);
  const response = await handler(kinesisEvent(records), lambdaContext());
  assert.equal(response, {
    batchItemFailures: [{ itemIdentifier: records[0]?.kinesis.sequenceNumber }],
  });
  assert.equal((await newRejects()).size, 0);
});

test.run();
