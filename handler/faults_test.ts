/**
 * Failures between the handler and DynamoDB, injected by a fault proxy in
 * front of dynalite, end to end through the bundle: the partial batch
 * response names the lowest sequence number behind the failed trucks, and
 * re-delivery from there converges with nothing valid lost.
 */
import type { KinesisStreamRecord } from "aws-lambda";
import fc from "fast-check";
import { test } from "uvu";
import * as assert from "uvu/assert";
import {
  type Fault,
  type FaultProxy,
  type Seen,
  startFaultProxy,
} from "../aws/emulators/fault_proxy.ts";
import { freePort } from "../aws/emulators/ports.ts";
import { type Sandbox, startSandbox } from "../aws/emulators/sandbox.ts";
import type { Handler } from "../aws/lambda/bundle.ts";
import { drain } from "../aws/lambda/drain.ts";
import { kinesisEvent, lambdaContext, recordsOf, sequencer } from "../aws/lambda/event.ts";
import { type Captured, captureLogs } from "../aws/lambda/logs.ts";
import { NAMES } from "../aws/names.ts";
import { clearTable, readTable } from "../aws/table.ts";
import type { OopsEvent } from "../core/mod.ts";
import { event, VINS } from "../core/testing/arbitraries.ts";
import { moves, oilChange, TRUCKS } from "../core/testing/events.ts";
import { newFleet } from "../core/testing/fleet.ts";
import { oracleTable } from "../core/testing/oracle.ts";
import { check } from "../core/testing/property.ts";

const [A, B, C] = TRUCKS;
const HERE = [51.5, -0.1] as const;

let sandbox: Sandbox;
let proxy: FaultProxy;
let logs: Captured;
/** No SDK retries: every injected fault reaches the handler. */
let once: Handler;
/** The SDK's own retries, for transient faults. */
let retrying: Handler;

/**
 * New containers: emptying the table deletes items behind the back of a warm
 * one, whose floor would then skip the trucks it remembers.
 */
async function coldContainers() {
  once = await sandbox.load({ AWS_ENDPOINT_URL_DYNAMODB: proxy.endpoint, SDK_MAX_ATTEMPTS: "1" });
  retrying = await sandbox.load({ SDK_MAX_ATTEMPTS: "3" });
}

test.before(async () => {
  sandbox = await startSandbox();
  proxy = await startFaultProxy(sandbox.dynamoEndpoint);
  logs = captureLogs();
});

test.before.each(async () => {
  proxy.decide = () => undefined;
  logs.lines.length = 0;
  await clearTable(sandbox.dynamo, NAMES.table, VINS);
  await coldContainers();
});

test.after(async () => {
  logs?.restore();
  await proxy?.stop();
  await sandbox?.stop();
});

/** The VIN a DynamoDB request is about. */
const vinOf = (seen: Seen) => (seen.body.Key as { vin?: { S?: string } } | undefined)?.vin?.S;

/** Fails every request about these trucks with `fault`. */
const failing =
  (fault: Fault, ...vins: string[]) =>
  (seen: Seen): Fault =>
    vins.includes(vinOf(seen) ?? "") ? fault : undefined;

const day = (hour: number) => `2018-08-02T${String(hour).padStart(2, "0")}:00:00.000Z`;

/** A batch where each truck's first record is not the batch's first. */
const BATCH: OopsEvent[] = [
  moves(A, 100, day(1), HERE),
  moves(C, 300, day(2), HERE),
  moves(B, 200, day(3), HERE),
  oilChange(A, 100, day(4)),
  oilChange(C, 290, day(5)),
  moves(B, 210, day(6), HERE),
];

/** Delivers the records from `from` on, as the event source mapping would after a failure. */
async function redeliverFrom(handler: Handler, records: KinesisStreamRecord[], from: string) {
  const at = records.findIndex((r) => r.kinesis.sequenceNumber === from);
  assert.ok(at >= 0, `${from} is not in the batch`);
  return handler(kinesisEvent(records.slice(at)), lambdaContext());
}

test("a truck that cannot be written is reported by its lowest sequence number; the others land", async () => {
  for (const fault of ["internal", "throttle", "drop", "dropAfter"] as const) {
    await clearTable(sandbox.dynamo, NAMES.table, VINS);
    await coldContainers();
    proxy.decide = failing(fault, B);
    const records = recordsOf(BATCH);
    const response = await once(kinesisEvent(records), lambdaContext());
    const expected = records[2]?.kinesis.sequenceNumber as string;
    assert.equal(response, { batchItemFailures: [{ itemIdentifier: expected }] }, fault);
    const landed = await readTable(sandbox.dynamo, NAMES.table);
    const others = oracleTable(BATCH).filter((item) => item.vin !== B);
    if (fault === "dropAfter") assert.equal(landed, oracleTable(BATCH), fault);
    else assert.equal(landed, others, fault);
    proxy.decide = () => undefined;
    assert.equal(await redeliverFrom(once, records, expected), { batchItemFailures: [] });
    assert.equal(await readTable(sandbox.dynamo, NAMES.table), oracleTable(BATCH), fault);
  }
});

test("several failed trucks are reported as one item: the lowest of them all", async () => {
  proxy.decide = failing("internal", B, C);
  const records = recordsOf(BATCH);
  const response = await once(kinesisEvent(records), lambdaContext());
  assert.equal(response, {
    batchItemFailures: [{ itemIdentifier: records[1]?.kinesis.sequenceNumber }],
  });
  const summary = logs.summaries().at(-1);
  assert.equal([summary?.failures, summary?.retryFrom], [2, records[1]?.kinesis.sequenceNumber]);
  assert.equal(
    logs.lines.filter((l) => l.msg === "truck not written").map((l) => l.vin),
    [C, B].sort(),
  );
});

test("a failed stored-item read after a refusal fails the truck too", async () => {
  // Written by another container: this one learns it only from its refusal.
  await retrying(kinesisEvent(recordsOf([moves(A, 500, day(9), HERE)])), lambdaContext());
  proxy.decide = (seen) => (seen.operation === "GetItem" ? "internal" : undefined);
  const records = recordsOf(BATCH);
  const response = await once(kinesisEvent(records), lambdaContext());
  assert.equal(response, {
    batchItemFailures: [{ itemIdentifier: records[0]?.kinesis.sequenceNumber }],
  });
});

test("transient faults are absorbed by the SDK's retries", async () => {
  const seen = new Map<string, number>();
  proxy.decide = (request) => {
    if (request.operation !== "UpdateItem") return undefined;
    const vin = vinOf(request) ?? "";
    const n = seen.get(vin) ?? 0;
    seen.set(vin, n + 1);
    return n === 0
      ? (["internal", "drop", "dropAfter"] as const)[TRUCKS.indexOf(vin as never)]
      : undefined;
  };
  const response = await retrying(kinesisEvent(recordsOf(BATCH)), lambdaContext());
  assert.equal(response, { batchItemFailures: [] });
  assert.equal(await readTable(sandbox.dynamo, NAMES.table), oracleTable(BATCH));
});

test("a hanging request is cut at the invocation's deadline and reported, not timed out", async () => {
  proxy.decide = failing("hang", C);
  const records = recordsOf(BATCH);
  const started = performance.now();
  // 1.5 s left: the handler keeps 1 s back, so it must answer after about 0.5 s.
  const response = await once(
    kinesisEvent(records),
    lambdaContext({ deadline: Date.now() + 1_500 }),
  );
  assert.ok(performance.now() - started < 1_400, "did not answer before the deadline");
  assert.equal(response, {
    batchItemFailures: [{ itemIdentifier: records[1]?.kinesis.sequenceNumber }],
  });
});

test("rejects that cannot be delivered are reported by their lowest sequence number", async () => {
  const unreachable = `http://127.0.0.1:${await freePort()}`;
  const handler = await sandbox.load({
    AWS_ENDPOINT_URL_KINESIS: unreachable,
    REJECTS_STREAM_NAME: "oops-events-rejected",
  });
  const records = recordsOf([BATCH[0] as OopsEvent, "bad", "worse", BATCH[1] as OopsEvent]);
  const response = await handler(kinesisEvent(records), lambdaContext());
  assert.equal(response, {
    batchItemFailures: [{ itemIdentifier: records[1]?.kinesis.sequenceNumber }],
  });
  assert.equal(await readTable(sandbox.dynamo, NAMES.table), oracleTable(BATCH.slice(0, 2)));
});

/** Faults in the order requests meet them (a third of requests, while they last), then none. */
const schedule = fc.array(
  fc.option(fc.constantFrom<Fault>("throttle", "internal", "drop", "dropAfter"), { freq: 3 }),
  { maxLength: 40 },
);

test("under random faults, shards re-delivered from the reported records converge", async () => {
  const scenario = fc.array(event(), { minLength: 1, maxLength: 40 }).chain((events) =>
    fc.record({
      events: fc.constant(events),
      // Random partition keys: any event lands on any shard, each shard has its own sequence.
      shardOf: fc.array(fc.integer({ min: 0, max: 2 }), {
        minLength: events.length,
        maxLength: events.length,
      }),
      batchSize: fc.integer({ min: 1, max: 12 }),
      faults: schedule,
    }),
  );
  let retries = 0;
  await check(
    fc.asyncProperty(scenario, async ({ events: generated, shardOf, batchSize, faults }) => {
      // The container stays warm across cases: each case has trucks of its own.
      const fleet = newFleet();
      const events = generated.map(fleet.rename);
      let met = 0;
      proxy.decide = () => faults[met++] ?? undefined;
      try {
        const shards = [0, 1, 2].map((shard) => events.filter((_, i) => shardOf[i] === shard));
        const drained = await Promise.all(
          shards.map((list) => drain(once, recordsOf(list, sequencer()), { batchSize })),
        );
        retries += drained.reduce((sum, d) => sum + d.retries, 0);
        assert.equal(
          drained.flatMap((d) => d.skipped),
          [],
          "a batch was given up on",
        );
        assert.equal(await readTable(sandbox.dynamo, NAMES.table), oracleTable(events));
      } finally {
        await clearTable(sandbox.dynamo, NAMES.table, fleet.vins);
      }
    }),
    30,
  );
  assert.ok(retries > 0, "no fault ever reached the handler");
});

test.run();
