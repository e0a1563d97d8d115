import { test } from "uvu";
import * as assert from "uvu/assert";
import { PROGRESS, parseProgress, progressLine } from "./progress.ts";

const stats = {
  records: 1_500,
  batches: 20,
  lastBatchAt: Date.UTC(2026, 0, 1, 12, 0, 5),
  lastArrivalAt: Date.UTC(2026, 0, 1, 12, 0, 5) - 120,
  shards: ["shardId-000000000000", "shardId-000000000001"],
};

test("records per second over the interval, lag of the newest record", () => {
  const line = progressLine(stats, { records: 500, at: 0 }, 5_000);
  assert.equal(line, {
    msg: PROGRESS,
    records: 1_500,
    perSecond: 200,
    batches: 20,
    lastBatchAt: "2026-01-01T12:00:05.000Z",
    lagMs: 120,
    shards: 2,
  });
});

test("no line when nothing was processed", () => {
  assert.is(progressLine(stats, { records: 1_500, at: 0 }, 5_000), undefined);
});

test("no batch yet: no time and no lag, and no division by zero", () => {
  const line = progressLine(
    { records: 3, batches: 1, lastBatchAt: undefined, lastArrivalAt: undefined, shards: [] },
    { records: 0, at: 7 },
    7,
  );
  assert.is(line?.lastBatchAt, undefined);
  assert.is(line?.lagMs, undefined);
  assert.is(line?.perSecond, 3_000);
});

test("a progress line read back gives what was written", () => {
  const line = JSON.stringify({
    level: "info",
    ...progressLine(stats, { records: 500, at: 0 }, 5_000),
  });
  assert.equal(parseProgress(line), {
    records: 1_500,
    perSecond: 200,
    lastBatchAt: stats.lastBatchAt,
    lagMs: 120,
  });
});

test("other lines are not progress", () => {
  assert.is(parseProgress('{"level":"info","msg":"batch","records":100}'), undefined);
  assert.is(parseProgress(`{"msg":"${PROGRESS}", broken`), undefined);
  assert.is(parseProgress("plain text"), undefined);
});

test.run();
