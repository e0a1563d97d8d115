import fc from "fast-check";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { check } from "./testing/property.ts";
import { normaliseTimestamp } from "./timestamp.ts";

test("Z, offsets and fractions normalise to UTC milliseconds", () => {
  const cases: [string, string][] = [
    ["2018-01-12T12:42:00Z", "2018-01-12T12:42:00.000Z"],
    ["2018-01-12T12:42:00.5Z", "2018-01-12T12:42:00.500Z"],
    ["2018-01-12T12:42:00.123456789Z", "2018-01-12T12:42:00.123Z"],
    ["2018-01-12T13:42:00+01:00", "2018-01-12T12:42:00.000Z"],
    ["2018-01-12T07:12:00-0530", "2018-01-12T12:42:00.000Z"],
    ["2018-01-01T00:30:00+01:00", "2017-12-31T23:30:00.000Z"],
    ["2016-02-29T23:59:59.999Z", "2016-02-29T23:59:59.999Z"],
    ["2000-02-29T00:00:00Z", "2000-02-29T00:00:00.000Z"],
    ["0050-06-01T00:00:00Z", "0050-06-01T00:00:00.000Z"],
  ];
  for (const [text, expected] of cases) assert.is(normaliseTimestamp(text), expected, text);
});

test("impossible dates, times and offsets are rejected", () => {
  for (const text of [
    "2018-02-30T00:00:00Z",
    "2017-02-29T00:00:00Z",
    "1900-02-29T00:00:00Z",
    "2018-04-31T00:00:00Z",
    "2018-13-01T00:00:00Z",
    "2018-00-01T00:00:00Z",
    "2018-01-00T00:00:00Z",
    "2018-01-01T25:00:00Z",
    "2018-01-01T24:00:00Z",
    "2018-01-01T00:60:00Z",
    "2018-01-01T00:00:60Z",
    "2018-01-01T00:00:00+24:00",
    "2018-01-01T00:00:00+01:60",
    "0000-01-01T00:00:00+01:00",
    "9999-12-31T23:00:00-01:00",
  ]) {
    assert.is(normaliseTimestamp(text), undefined, text);
  }
});

test("text that is not an ISO-8601 date-time with a zone is rejected", () => {
  for (const text of [
    "",
    "2018-01-12",
    "2018-01-12T12:42Z",
    "2018-01-12T12:42:00",
    "2018-01-12 12:42:00Z",
    "2018-01-12T12:42:00.Z",
    "2018-01-12t12:42:00z",
    " 2018-01-12T12:42:00Z",
    "2018-01-12T12:42:00Z\n",
    "１２３４-01-12T12:42:00Z",
  ]) {
    assert.is(normaliseTimestamp(text), undefined, JSON.stringify(text));
  }
});

test("normalisation agrees with Date for any instant and offset, and keeps order", async () => {
  const instant = fc.integer({ min: Date.UTC(1000, 0, 1), max: Date.UTC(9998, 11, 31) });
  const offset = fc.integer({ min: -23 * 60 - 59, max: 23 * 60 + 59 });
  await check(
    fc.property(instant, instant, offset, (a, b, minutes) => {
      const written = (ms: number) => {
        const local = new Date(ms + minutes * 60_000).toISOString().slice(0, 23);
        const abs = Math.abs(minutes);
        const zone = `${minutes < 0 ? "-" : "+"}${String(Math.floor(abs / 60)).padStart(2, "0")}:${String(abs % 60).padStart(2, "0")}`;
        return `${local}${zone}`;
      };
      const na = normaliseTimestamp(written(a));
      const nb = normaliseTimestamp(written(b));
      assert.is(na, new Date(a).toISOString());
      assert.is(na !== undefined && nb !== undefined && na < nb, a < b);
    }),
    1000,
  );
});

test("whole-second Z timestamps (the wire's usual form) agree with Date", async () => {
  const instant = fc.integer({
    min: Date.UTC(0, 0, 1) - 1900 * 365.25 * 86_400_000,
    max: Date.UTC(9999, 11, 31),
  });
  await check(
    fc.property(instant, (ms) => {
      const iso = new Date(Math.floor(ms / 1000) * 1000).toISOString();
      if (iso.length !== 24) return;
      assert.is(normaliseTimestamp(`${iso.slice(0, 19)}Z`), iso);
    }),
    1000,
  );
});

test("a non-digit anywhere in a whole-second Z timestamp is rejected", async () => {
  await check(
    fc.property(
      fc.integer({ min: 0, max: 18 }),
      fc.string({ minLength: 1, maxLength: 1, unit: "binary" }),
      (i, c) => {
        const text = "2018-01-12T12:42:00Z";
        const changed = text.slice(0, i) + c + text.slice(i + 1);
        if (c === text[i] || (/\d/.test(c) && /\d/.test(text[i] as string))) return;
        assert.is(normaliseTimestamp(changed), undefined, JSON.stringify(changed));
      },
    ),
    1000,
  );
});

test.run();
