import fc from "fast-check";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { keyRange, MAX_BUFFER_MS, objectKey, partitionOf, partitionTime } from "./archive.ts";
import { check } from "./testing/property.ts";

const HOUR = 3_600_000;
/** Epoch ms over four centuries, so that leap days and year ends come up. */
const time = fc.integer({ min: Date.UTC(1900, 0, 1), max: Date.UTC(2300, 0, 1) });

test("Firehose's key: the partition of the oldest record, the stream, its arrival, an id", () => {
  const at = Date.UTC(2018, 0, 12, 12, 42, 7, 999);
  assert.is(partitionOf(at), "events/year=2018/month=01/day=12/hour=12/");
  assert.is(
    objectKey("oops-events-archive", at, "5f2b"),
    "events/year=2018/month=01/day=12/hour=12/oops-events-archive-1-2018-01-12-12-42-07-5f2b.gz",
  );
});

test("a key names its partition's hour; keys outside the layout name none", async () => {
  await check(
    fc.property(time, fc.stringMatching(/^[0-9a-f]{1,32}$/), (t, id) => {
      assert.is(partitionTime(objectKey("s", t, id)), Math.floor(t / HOUR) * HOUR);
    }),
    1000,
  );
  for (const key of [
    "events/README.md",
    "errors/ProcessingFailed/year=2018/month=01/day=12/hour=12/x.gz",
    "events/year=2018/month=13/day=01/hour=00/x.gz",
    "events/year=2018/month=02/day=30/hour=00/x.gz",
    "events/year=2018/month=01/day=01/hour=24/x.gz",
  ]) {
    assert.is(partitionTime(key), undefined, key);
  }
});

test("key order is time order", async () => {
  await check(
    fc.property(time, time, (a, b) => {
      const [x, y] = [objectKey("s", a, "0"), objectKey("s", b, "0")];
      if (Math.floor(a / 1000) < Math.floor(b / 1000)) assert.ok(x < y, `${x} < ${y}`);
    }),
    1000,
  );
});

test("a window's key range holds every object that may hold a record of the window", async () => {
  // A record that arrived at t sits in an object whose oldest record arrived within a buffer before it.
  const cases = fc.record({
    from: time,
    length: fc.integer({ min: 0, max: 30 * 24 * HOUR }),
    at: fc.double({ min: 0, max: 1, noNaN: true }),
    waited: fc.integer({ min: 0, max: MAX_BUFFER_MS }),
  });
  await check(
    fc.property(cases, ({ from, length, at, waited }) => {
      const to = from + length;
      const t = Math.floor(from + at * length);
      const key = objectKey("oops-events-archive", t - waited, "ffff");
      const { after, before } = keyRange({ from, to });
      assert.ok(after < key && key < before, `${key} outside (${after}, ${before})`);
    }),
    2000,
  );
});

test("an open window takes every key of the layout", () => {
  const { after, before } = keyRange({});
  for (const t of [Date.UTC(1970, 0, 1), Date.UTC(2999, 11, 31, 23)]) {
    const key = objectKey("s", t, "0");
    assert.ok(after < key && key < before, key);
  }
});

test.run();
