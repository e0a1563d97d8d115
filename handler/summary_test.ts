import type { KinesisStreamRecord } from "aws-lambda";
import fc from "fast-check";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { recordsOf, TEST_SOURCE } from "../aws/lambda/event.ts";
import { check } from "../core/testing/property.ts";
import { type Reject, readBatch } from "./records.ts";
import { summarize } from "./summary.ts";
import { outcomeOf } from "./testing/batch_line.ts";
import { noWrites } from "./write.ts";

const oil = {
  event: "MECHANIC_CHANGES_OIL",
  timestamp: "2018-01-12T12:00:00Z",
  employee: { id: "6f5a1a7e-0f47-4b5b-9d3b-2d3a5b1c9e10", jobRole: "JNR_MECHANIC" },
  vehicle: { vin: "1HGCM82633A004352", mileage: 12418 },
} as const;

/** The records, arrived at `seconds` (one each, in order). */
function arrivedAt(records: KinesisStreamRecord[], seconds: readonly number[]) {
  return records.map((record, i) => ({
    ...record,
    kinesis: { ...record.kinesis, approximateArrivalTimestamp: seconds[i] ?? 0 },
  }));
}

test("one line with the batch's counts, rejects by group, and its freshness", () => {
  const records = arrivedAt(
    recordsOf([
      oil,
      { ...oil, vehicle: { ...oil.vehicle, mileage: -3 } },
      { ...oil, vehicle: { ...oil.vehicle, mileage: 1.5 } },
      JSON.stringify({ ...oil, event: "MECHANIC_FIXES_BRAKES" }),
      "garbage",
    ]),
    [100.25, 100.5, 101, 99.75, 100],
  );
  const batch = readBatch(records);
  const unwritable: Reject = {
    record: records[0] as KinesisStreamRecord,
    path: "",
    group: "unwritable",
    reason: "refused",
  };
  const counts = { ...noWrites(), writeRequests: 2, conditionFailures: 1, storedReads: 1 };
  const summary = summarize({
    ...outcomeOf(records, { counts, durationMs: 12.6, now: 102_000 }),
    rejects: [...batch.rejects, unwritable],
  });
  assert.equal(summary, {
    msg: "batch",
    records: 5,
    decoded: 1,
    rejected: 5,
    rejectedMalformed: 1,
    rejectedUnknownEvent: 1,
    rejectedInvalidField: 2,
    rejectedUnwritable: 1,
    trucks: 1,
    ...counts,
    failures: 0,
    retryFrom: undefined,
    durationMs: 13,
    oldestEventAgeMs: 2_250,
    newestEventAgeMs: 1_000,
    shardId: TEST_SOURCE.shardId,
    firstSequenceNumber: records[0]?.kinesis.sequenceNumber,
  });
  assert.not.match(JSON.stringify(summary), /\n/);
});

test("freshness: the ages of the oldest and newest arrivals, never negative", async () => {
  const arrivals = fc.array(fc.integer({ min: 0, max: 4_000_000_000_000 }), {
    minLength: 1,
    maxLength: 20,
  });
  await check(
    fc.property(arrivals, fc.integer({ min: 0, max: 4_000_000_000_000 }), (ms, now) => {
      const records = arrivedAt(
        recordsOf(ms.map(() => oil)),
        ms.map((m) => m / 1000),
      );
      const summary = summarize(outcomeOf(records, { now }));
      const ages = ms.map((m) => Math.max(0, now - m));
      assert.is(summary.oldestEventAgeMs, Math.max(...ages));
      assert.is(summary.newestEventAgeMs, Math.min(...ages));
    }),
    300,
  );
});

test("an empty batch has no shard, no first record and no freshness", () => {
  const summary = summarize(outcomeOf([]));
  assert.is(summary.shardId, undefined);
  assert.is(summary.firstSequenceNumber, undefined);
  assert.equal([summary.oldestEventAgeMs, summary.newestEventAgeMs], [undefined, undefined]);
  assert.is(summary.rejected, 0);
});

test.run();
