/**
 * decode accepts only text that every reader of the stream reads alike: no
 * key written twice (JSON.parse keeps the last, other readers the first),
 * no byte order mark; and it is not fooled by colons or escapes in strings.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { decode } from "./decode.ts";
import { CHAPTER_RECORD as CHAPTER } from "./testing/fixtures.ts";

test("a key written twice is rejected at its path, whichever value comes last", () => {
  const cases: [string, string][] = [
    [CHAPTER.replace('"mileage":33207', '"mileage":-3,"mileage":33207'), "vehicle.mileage"],
    [CHAPTER.replace('"mileage":33207', '"mileage":33207,"mileage":33207'), "vehicle.mileage"],
    [CHAPTER.replace('"timestamp"', '"timestamp":"2019-01-01T00:00:00Z","timestamp"'), "timestamp"],
    [CHAPTER.replace('"vehicle"', '"vehicle":null,"vehicle"'), "vehicle"],
    [CHAPTER.replace('"vin"', '"v\\u0069n":"1HGCM82633A004352","vin"'), "vehicle.vin"],
    [CHAPTER.replace('"event"', '"event" : "TRUCK_DEPARTS" ,"event"'), "event"],
  ];
  for (const [text, path] of cases) {
    const reason = `${path}: duplicate field`;
    assert.equal(decode(text), { ok: false, path, group: "invalid-field", reason }, text);
  }
});

test("colons and escapes in strings are not mistaken for repeated keys", () => {
  const oil = (timestamp: string, jobRole: string) =>
    JSON.stringify({
      event: "MECHANIC_CHANGES_OIL",
      timestamp,
      employee: { id: "0d1b2c3a-4e5f-4a6b-8c7d-9e0f1a2b3c4d", jobRole },
      vehicle: { vin: "1HGCM82633A004352", mileage: 1 },
    });
  for (const [timestamp, jobRole] of [
    ["2018-01-12T13:42:00+01:00", "MECHANIC"],
    ["2018-01-12T13:42:00+0100", 'SNR: "lead":mechanic'],
    ["2018-01-12T12:42:00Z", "a\\b:c"],
  ] as const) {
    assert.ok(decode(oil(timestamp, jobRole)).ok, `${timestamp} ${jobRole}`);
  }
});

test("a byte order mark before the JSON is rejected, as bytes or as text", () => {
  const reason = "record: expected JSON text, got a byte order mark (U+FEFF) before it";
  const bytes = new TextEncoder().encode(CHAPTER);
  const withBom = new Uint8Array([0xef, 0xbb, 0xbf, ...bytes]);
  const rejection = { ok: false, path: "", group: "malformed", reason };
  assert.equal(decode(withBom), rejection);
  assert.equal(decode(`\ufeff${CHAPTER}`), rejection);
});

test.run();
