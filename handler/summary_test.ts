import { test } from "uvu";
import * as assert from "uvu/assert";
import { recordsOf, TEST_SOURCE } from "../aws/lambda/event.ts";
import { readBatch } from "./records.ts";
import { summarize } from "./summary.ts";
import { noWrites } from "./write.ts";

const oil = {
  event: "MECHANIC_CHANGES_OIL",
  timestamp: "2018-01-12T12:00:00Z",
  employee: { id: "6f5a1a7e-0f47-4b5b-9d3b-2d3a5b1c9e10", jobRole: "JNR_MECHANIC" },
  vehicle: { vin: "1HGCM82633A004352", mileage: 12418 },
} as const;

test("one line with the batch's counts, rejects by path", () => {
  const records = recordsOf([
    oil,
    { ...oil, vehicle: { ...oil.vehicle, mileage: -3 } },
    { ...oil, vehicle: { ...oil.vehicle, mileage: 1.5 } },
    "garbage",
  ]);
  const batch = readBatch(records);
  const counts = { writeRequests: 2, conditionFailures: 1, storedReads: 1, skippedByFloor: 0 };
  const summary = summarize({
    records,
    batch,
    counts,
    unwritable: 0,
    failures: 0,
    retryFrom: undefined,
    durationMs: 12.6,
  });
  assert.equal(summary, {
    msg: "batch",
    records: 4,
    decoded: 1,
    rejected: { "vehicle.mileage": 2, record: 1 },
    trucks: 1,
    unwritable: 0,
    writeRequests: 2,
    conditionFailures: 1,
    storedReads: 1,
    skippedByFloor: 0,
    failures: 0,
    retryFrom: undefined,
    durationMs: 13,
    shardId: TEST_SOURCE.shardId,
    firstSequenceNumber: records[0]?.kinesis.sequenceNumber,
  });
  assert.not.match(JSON.stringify(summary), /\n/);
});

test("a field named __proto__ is counted like any other", () => {
  const records = recordsOf([JSON.stringify(oil).replace('"event"', '"__proto__":{},"event"')]);
  const counts = noWrites();
  const batch = readBatch(records);
  const summary = summarize({
    records,
    batch,
    counts,
    unwritable: 0,
    failures: 0,
    retryFrom: undefined,
    durationMs: 0,
  });
  assert.equal(JSON.parse(JSON.stringify(summary)).rejected, JSON.parse('{"__proto__":1}'));
});

test("an empty batch has no shard and no first record", () => {
  const counts = noWrites();
  const summary = summarize({
    records: [],
    batch: readBatch([]),
    counts,
    unwritable: 0,
    failures: 0,
    retryFrom: undefined,
    durationMs: 0,
  });
  assert.is(summary.shardId, undefined);
  assert.is(summary.firstSequenceNumber, undefined);
  assert.equal(summary.rejected, {});
});

test.run();
