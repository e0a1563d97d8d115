/**
 * The chapter's scenarios, end to end through the built bundle against
 * dynalite: table 11.3, the out-of-order oil change of figure 11.5, a
 * backwards batch, the write count per batch, and configuration failures.
 * Each test starts with an empty table and a new container: emptying the
 * table deletes items behind the back of a warm one, whose floor would
 * then skip the trucks it remembers.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { type Sandbox, startSandbox } from "../aws/emulators/sandbox.ts";
import type { Handler } from "../aws/lambda/bundle.ts";
import { kinesisEvent, lambdaContext, recordsOf, sequencer } from "../aws/lambda/event.ts";
import { type Captured, captureLogs } from "../aws/lambda/logs.ts";
import { NAMES } from "../aws/names.ts";
import { clearTable, readTable } from "../aws/table.ts";
import type { OopsEvent } from "../core/mod.ts";
import { moves, oilChange, packageDelivered, TRUCKS } from "../core/testing/events.ts";

const [HONDA, ACURA, ACURA_MDX] = TRUCKS;
const LONDON_W = [51.5208046, -0.1592323] as const;
const LONDON_SE = [51.4972997, -0.0955459] as const;
const LONDON_S = [51.4704112, -0.1187563] as const;

let sandbox: Sandbox;
let handler: Handler;
let logs: Captured;
const next = sequencer();

/** Sends one batch through the bundle and returns its response and summary line. */
async function send(events: readonly (OopsEvent | string)[]) {
  const seen = logs.summaries().length;
  const response = await handler(kinesisEvent(recordsOf(events, next)), lambdaContext());
  const summary = logs.summaries()[seen];
  return { response, summary };
}

/** Table 11.3 as stored items. */
const TABLE_11_3 = [
  {
    vin: ACURA_MDX,
    latitude: LONDON_S[0],
    longitude: LONDON_S[1],
    "location-timestamp": "2018-08-02T18:14:45.000Z",
    mileage: 8407,
    "mileage-at-oil-change": 8329,
  },
  {
    vin: HONDA,
    latitude: LONDON_W[0],
    longitude: LONDON_W[1],
    "location-timestamp": "2018-08-02T21:50:49.000Z",
    mileage: 12453,
    "mileage-at-oil-change": 12418,
  },
  {
    vin: ACURA,
    latitude: LONDON_SE[0],
    longitude: LONDON_SE[1],
    "location-timestamp": "2018-08-01T22:46:12.000Z",
    mileage: 19090,
    "mileage-at-oil-change": 18923,
  },
];

/** A day of the three trucks that ends in table 11.3, in event-time order. */
const DAY: OopsEvent[] = [
  moves(HONDA, 12400, "2018-08-01T08:00:00Z", LONDON_SE, "TRUCK_ARRIVES"),
  oilChange(ACURA, 18923, "2018-08-01T09:30:00Z"),
  oilChange(HONDA, 12418, "2018-08-01T10:15:00Z"),
  moves(ACURA, 19000, "2018-08-01T12:00:00Z", LONDON_W),
  packageDelivered("2018-08-01T12:30:00Z"),
  moves(ACURA, 19090, "2018-08-01T22:46:12Z", LONDON_SE, "TRUCK_ARRIVES"),
  oilChange(ACURA_MDX, 8329, "2018-08-02T07:00:00Z"),
  moves(ACURA_MDX, 8407, "2018-08-02T18:14:45+00:00", LONDON_S),
  moves(HONDA, 12453, "2018-08-02T22:50:49+01:00", LONDON_W),
];

test.before(async () => {
  sandbox = await startSandbox();
  logs = captureLogs();
});

test.before.each(async () => {
  await clearTable(sandbox.dynamo, NAMES.table, TRUCKS);
  handler = await sandbox.load();
});

test.after(async () => {
  logs?.restore();
  await sandbox?.stop();
});

test("table 11.3: a day of events, in two batches, gives the chapter's table", async () => {
  for (const batch of [DAY.slice(0, 5), DAY.slice(5)]) {
    const { response } = await send(batch);
    assert.equal(response, { batchItemFailures: [] });
  }
  assert.equal(await readTable(sandbox.dynamo, NAMES.table), TABLE_11_3);
});

test("table 11.3 again, from the day's events in reverse, one batch each", async () => {
  for (const event of [...DAY].reverse()) await send([event]);
  assert.equal(await readTable(sandbox.dynamo, NAMES.table), TABLE_11_3);
});

test("in-order batches cost exactly one write request per truck", async () => {
  for (const batch of [DAY.slice(0, 3), DAY.slice(3, 6), DAY.slice(6)]) {
    const { summary } = await send(batch);
    assert.ok(summary, "no summary line");
    assert.is(summary.writeRequests, summary.trucks);
    assert.is(summary.conditionFailures, 0);
    assert.is(summary.storedReads, 0);
  }
});

/** The counts of a summary line: trucks, write requests, refusals, reads, trucks skipped by the floor. */
const costOf = (summary: Record<string, unknown> | undefined) =>
  [
    summary?.trucks,
    summary?.writeRequests,
    summary?.conditionFailures,
    summary?.storedReads,
    summary?.skippedByFloor,
  ] as const;

test("figure 11.5: an oil change processed after a later departure still counts", async () => {
  await send([moves(HONDA, 12453, "2018-08-02T21:50:49Z", LONDON_W)]);
  const { summary } = await send([oilChange(HONDA, 12418, "2018-08-02T20:00:00Z")]);
  assert.equal(await readTable(sandbox.dynamo, NAMES.table), [TABLE_11_3[1]]);
  // The container wrote the newer mileage itself: it sends only the oil change.
  assert.equal(costOf(summary), [1, 1, 0, 0, 0]);
});

test("figure 11.5 on a container that knows nothing: refused once, then narrowed", async () => {
  await send([moves(HONDA, 12453, "2018-08-02T21:50:49Z", LONDON_W)]);
  handler = await sandbox.load();
  const { summary } = await send([oilChange(HONDA, 12418, "2018-08-02T20:00:00Z")]);
  assert.equal(await readTable(sandbox.dynamo, NAMES.table), [TABLE_11_3[1]]);
  assert.equal(costOf(summary), [1, 2, 1, 1, 0]);
});

const BACKWARDS = [
  moves(HONDA, 12000, "2018-07-30T10:00:00Z", LONDON_S),
  oilChange(HONDA, 11000, "2018-07-30T09:00:00Z"),
  moves(ACURA, 18000, "2018-07-30T10:00:00Z", LONDON_S),
  oilChange(ACURA, 17000, "2018-07-30T09:00:00Z"),
  moves(ACURA_MDX, 8000, "2018-07-30T10:00:00Z", LONDON_W),
  oilChange(ACURA_MDX, 7000, "2018-07-30T09:00:00Z"),
];

test("a backwards batch on the container that wrote the table sends nothing", async () => {
  await send(DAY);
  const { response, summary } = await send(BACKWARDS);
  assert.equal(response, { batchItemFailures: [] });
  assert.equal(await readTable(sandbox.dynamo, NAMES.table), TABLE_11_3);
  assert.equal(costOf(summary), [3, 0, 0, 0, 3]);
});

test("a backwards batch on a new container: one refused write and one read per truck, then none", async () => {
  await send(DAY);
  handler = await sandbox.load();
  const first = await send(BACKWARDS);
  assert.equal(first.response, { batchItemFailures: [] });
  assert.equal(await readTable(sandbox.dynamo, NAMES.table), TABLE_11_3);
  assert.equal(costOf(first.summary), [3, 3, 3, 3, 0]);
  const again = await send(BACKWARDS);
  assert.equal(costOf(again.summary), [3, 0, 0, 0, 3]);
});

test("FLOOR_MAX_TRUCKS=0: every batch plans every part, as without a floor", async () => {
  try {
    handler = await sandbox.load({ FLOOR_MAX_TRUCKS: "0" });
    await send(DAY);
    const { summary } = await send(BACKWARDS);
    assert.equal(costOf(summary), [3, 3, 3, 3, 0]);
  } finally {
    await sandbox.load({ FLOOR_MAX_TRUCKS: "" }); // the default again, for the tests after it
  }
});

test("the summary line counts records, decoded, rejects by group and trucks", async () => {
  const { summary } = await send([...DAY.slice(0, 5), "not json", '{"event":"TRUCK_SKIDS"}']);
  assert.equal(
    {
      records: summary?.records,
      decoded: summary?.decoded,
      rejected: summary?.rejected,
      malformed: summary?.rejectedMalformed,
      unknown: summary?.rejectedUnknownEvent,
      trucks: summary?.trucks,
      failures: summary?.failures,
    },
    { records: 7, decoded: 5, rejected: 2, malformed: 1, unknown: 1, trucks: 2, failures: 0 },
  );
  assert.match(String(summary?.shardId), /^shardId-/);
});

test("the bundle writes the line at the top of the log: level, request id, metrics block", async () => {
  const context = lambdaContext({ functionName: "dev-oops-truck-status", requestId: "req-42" });
  const seen = logs.summaries().length;
  await handler(kinesisEvent(recordsOf(DAY.slice(0, 3), next)), context);
  const line = logs.summaries()[seen] as Record<string, unknown>;
  assert.equal(
    [line.level, line.requestId, line.msg, line.FunctionName],
    ["INFO", "req-42", "batch", "dev-oops-truck-status"],
  );
  const aws = line._aws as { CloudWatchMetrics: { Namespace: string; Metrics: unknown[] }[] };
  assert.is(aws.CloudWatchMetrics[0]?.Namespace, "OOPS/TruckStatus");
  assert.is(aws.CloudWatchMetrics[0]?.Metrics.length, 14);
});

test("an empty batch is a success", async () => {
  assert.equal(await handler(kinesisEvent([]), lambdaContext()), { batchItemFailures: [] });
});

test("a bad configuration fails the cold start, naming the variable", async () => {
  const good = { TABLE_NAME: NAMES.table, MAX_CONCURRENT_WRITES: "16", SDK_MAX_ATTEMPTS: "3" };
  try {
    for (const [name, value] of [
      ["TABLE_NAME", ""],
      ["MAX_CONCURRENT_WRITES", "0"],
      ["SDK_MAX_ATTEMPTS", "many"],
    ] as const) {
      await sandbox.load({ ...good, [name]: value }).then(
        () => assert.unreachable(`${name}=${value} was accepted`),
        (error: Error) =>
          assert.match(error.message, new RegExp(`invalid configuration: ${name}: `)),
      );
    }
  } finally {
    await sandbox.load(good);
  }
});

test.run();
