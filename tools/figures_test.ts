import fc from "fast-check";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { recordsOf } from "../aws/lambda/event.ts";
import { packageDelivered } from "../core/testing/events.ts";
import { check } from "../core/testing/property.ts";
import { batchLine, outcomeOf } from "../handler/testing/batch_line.ts";
import { noWrites } from "../handler/write.ts";
import { type BatchLine, figures, parseBatchLine, renderFigures, watchBatches } from "./figures.ts";

const AT = "2018-01-12T12:42:00Z";

/** A batch line exactly as the handler writes it. */
function handlerLine(payloads: Parameters<typeof recordsOf>[0], now: number): string {
  const records = recordsOf(payloads);
  const counts = { ...noWrites(), writeRequests: 3 };
  const line = batchLine(outcomeOf(records, { counts, durationMs: 5, now }), "fn");
  return JSON.stringify({ level: "INFO", requestId: "r-1", ...line });
}

test("the handler's batch line is read; other lines are not", () => {
  const now = 1_515_760_925_123; // 5 s after the test records arrived
  const line = handlerLine([packageDelivered(AT), "not json"], now);
  assert.equal(parseBatchLine(line), {
    at: now,
    records: 2,
    rejected: 1,
    writeRequests: 3,
    oldestEventAgeMs: 5_000,
  });
  assert.is(parseBatchLine('{"level":"info","msg":"mapping progress","records":3}'), undefined);
  assert.is(parseBatchLine('{"msg":"batch", oops'), undefined);
  assert.is(parseBatchLine('{"msg":"batch","records":1}'), undefined);
});

const line = (at: number, records: number, extra: Partial<BatchLine> = {}): BatchLine => ({
  at,
  records,
  rejected: 0,
  writeRequests: records,
  oldestEventAgeMs: 100,
  ...extra,
});

test("a window's events per second, rejects, writes per event and freshness", () => {
  const now = 1_000_000;
  const lines = [
    line(now - 400_000, 999), // before the window
    line(now - 200_000, 100, { rejected: 2, writeRequests: 50, oldestEventAgeMs: 300 }),
    line(now - 100_000, 200, { writeRequests: 100, oldestEventAgeMs: 2_500 }),
    line(now - 1_000, 0, { writeRequests: 0, oldestEventAgeMs: undefined }),
  ];
  const f = figures(lines, { now, ms: 300_000, since: 0 });
  assert.equal(f, {
    seconds: 300,
    batches: 3,
    events: 300,
    eventsPerSecond: 1,
    rejected: 2,
    writesPerEvent: 0.5,
    freshness: { medianMs: 300, maxMs: 2_500 },
  });
  assert.is(
    renderFigures(f),
    "last 5 min: 1.0 events/s · 2 rejected (0.7 %) · 0.50 writes/event · freshness median 300 ms, max 2.5 s",
  );
});

test("a window opened less than its length ago counts only since then", () => {
  const f = figures([line(9_000, 30)], { now: 10_000, ms: 300_000, since: 0 + 7_000 });
  assert.equal([f.seconds, f.eventsPerSecond], [3, 10]);
  assert.is(
    renderFigures(figures([], { now: 10_000, ms: 300_000, since: 7_000 })),
    "last 3 s: no batches",
  );
});

test("figures count exactly the batches of the window, whatever came before", async () => {
  const batch = fc.record({
    age: fc.integer({ min: 0, max: 600_000 }),
    records: fc.integer({ min: 0, max: 500 }),
    rejected: fc.integer({ min: 0, max: 5 }),
  });
  await check(
    fc.property(fc.array(batch, { maxLength: 30 }), (batches) => {
      const now = 10_000_000;
      const lines = batches.map((b) => line(now - b.age, b.records, { rejected: b.rejected }));
      const inside = batches.filter((b) => b.age < 300_000);
      const f = figures(lines, { now, ms: 300_000, since: 0 });
      assert.is(f.batches, inside.length);
      assert.is(
        f.events,
        inside.reduce((n, b) => n + b.records, 0),
      );
      assert.is(
        f.rejected,
        inside.reduce((n, b) => n + b.rejected, 0),
      );
      assert.ok(Math.abs(f.eventsPerSecond * 300 - f.events) < 1e-6);
      if (f.freshness) assert.ok(f.freshness.medianMs <= f.freshness.maxMs);
    }),
    300,
  );
});

test("watching keeps the window's batches only", () => {
  const watch = watchBatches(60_000, 0);
  const now = 1_515_760_925_123;
  watch.see(handlerLine([packageDelivered(AT)], now - 120_000));
  watch.see("kinesis-mock: some other line");
  watch.see(handlerLine([packageDelivered(AT), packageDelivered(AT)], now - 1_000));
  const f = watch.figures(now);
  assert.equal([f.batches, f.events, f.seconds], [1, 2, 60]);
});

test.run();
