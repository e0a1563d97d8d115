/**
 * decode by example: the chapter's record, each event's shape, the
 * rejections a producer is most likely to meet, with their paths and groups.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { decode } from "./decode.ts";
import type { OopsEvent } from "./event.ts";
import { CHAPTER_RECORD as CHAPTER } from "./testing/fixtures.ts";

test("the chapter's TRUCK_ARRIVES record decodes, from bytes or text", () => {
  const expected = {
    ok: true,
    event: {
      event: "TRUCK_ARRIVES",
      timestamp: "2018-01-12T12:42:00.000Z",
      vehicle: { vin: "1HGCM82633A004352", mileage: 33207 },
      location: { latitude: 51.522834, longitude: -0.081813, elevation: 7 },
    },
  };
  assert.equal(decode(CHAPTER), expected);
  assert.equal(decode(new TextEncoder().encode(CHAPTER)), expected);
});

test("each event type decodes to its own shape", () => {
  const employee = { id: "0d1b2c3a-4e5f-4a6b-8c7d-9e0f1a2b3c4d", jobRole: "DRIVER" };
  const rest = {
    package: { id: "1d1b2c3a-4e5f-4a6b-8c7d-9e0f1a2b3c4d" },
    customer: { id: "2d1b2c3a-4e5f-4a6b-8c7d-9e0f1a2b3c4d", isVip: false },
    location: { latitude: -90, longitude: 180, elevation: -2.5 },
  };
  const timestamp = "2018-01-12T12:42:00.000Z";
  const events: OopsEvent[] = [
    {
      event: "MECHANIC_CHANGES_OIL",
      timestamp,
      employee,
      vehicle: { vin: "JH4TB2H26CC000000", mileage: 0 },
    },
    { event: "DRIVER_DELIVERS_PACKAGE", timestamp, employee, ...rest },
    { event: "DRIVER_MISSES_CUSTOMER", timestamp, employee, ...rest },
  ];
  for (const e of events) assert.equal(decode(JSON.stringify(e)), { ok: true, event: e });
});

test("bad records are rejected with the field's path and what was expected", () => {
  const truck = JSON.parse(CHAPTER);
  const cases: [unknown, string, string][] = [
    [
      { ...truck, vehicle: { ...truck.vehicle, mileage: -3 } },
      "vehicle.mileage",
      "vehicle.mileage: expected a non-negative integer, got -3",
    ],
    [
      { ...truck, vehicle: { ...truck.vehicle, mileage: 1.5 } },
      "vehicle.mileage",
      "expected a non-negative integer, got 1.5",
    ],
    [
      { ...truck, vehicle: { ...truck.vehicle, vin: "1HGCM82633A00435O" } },
      "vehicle.vin",
      "expected a 17-character VIN",
    ],
    [
      { ...truck, location: { ...truck.location, latitude: 90.5 } },
      "location.latitude",
      "expected a number in [-90, 90], got 90.5",
    ],
    [
      { ...truck, location: { ...truck.location, longitude: "0" } },
      "location.longitude",
      'got "0"',
    ],
    [
      { ...truck, timestamp: "2018-02-30T12:42:00Z" },
      "timestamp",
      "expected an ISO-8601 date-time",
    ],
    [{ ...truck, timestamp: undefined }, "timestamp", "got nothing"],
    [{ ...truck, event: "TRUCK_FLIES" }, "event", "expected one of TRUCK_ARRIVES, TRUCK_DEPARTS"],
    [{ ...truck, vehicle: null }, "vehicle", "vehicle: expected an object, got null"],
    [{ ...truck, vehicle: [] }, "vehicle", "got an array"],
    [{ ...truck, colour: "brown" }, "colour", "colour: unexpected field"],
    [
      { ...truck, vehicle: { ...truck.vehicle, __proto__x: 1 } },
      "vehicle.__proto__x",
      "unexpected field",
    ],
    [null, "", "record: expected a JSON object, got null"],
    [[truck], "", "record: expected a JSON object, got an array"],
    [42, "", "got 42"],
  ];
  for (const [value, path, reason] of cases) {
    const result = decode(JSON.stringify(value));
    assert.is(result.ok, false, path);
    if (result.ok) continue;
    assert.is(result.path, path);
    assert.ok(result.reason.includes(reason), `${result.reason} should include ${reason}`);
  }
});

test("UUIDs take hex digits of either case and hyphens, nothing that looks like them", () => {
  const oil = (id: string) =>
    JSON.stringify({
      event: "MECHANIC_CHANGES_OIL",
      timestamp: "2018-01-12T12:42:00Z",
      employee: { id, jobRole: "JNR_MECHANIC" },
      vehicle: { vin: "1HGCM82633A004352", mileage: 1 },
    });
  assert.ok(decode(oil("0D1B2C3A-4E5F-4A6B-8C7D-9E0F1A2B3C4d")).ok);
  for (const id of [
    "0d1b2c3a-4e5f-4a6b-8c7d-9e0f1a2b3c4g",
    "0d1b2c3a\r4e5f-4a6b-8c7d-9e0f1a2b3c4d",
    "0d1b2c3a-4e5f-4a6b-8c7d-9e0f1a2b3c4\u0010",
    "0d1b2c3a-4e5f-4a6b-8c7d-9e0f1a2b3c4",
    "0d1b2c3a4e5f-4a6b-8c7d-9e0f1a2b3c4d0",
  ]) {
    const result = decode(oil(id));
    assert.is(result.ok ? "accepted" : result.path, "employee.id", id);
  }
});

test("each rejection falls in one group: malformed, unknown event or invalid field", () => {
  const cases: [Uint8Array | string, string][] = [
    [new Uint8Array([0x7b, 0xff, 0x7d]), "malformed"],
    [`\ufeff${CHAPTER}`, "malformed"],
    [CHAPTER.slice(0, 40), "malformed"],
    ["[1]", "malformed"],
    [CHAPTER.replace("TRUCK_ARRIVES", "TRUCK_FLIES"), "unknown-event"],
    ['{"timestamp":"2018-01-12T12:42:00Z"}', "unknown-event"],
    [CHAPTER.replace('"elevation"', '"height"'), "invalid-field"],
    [CHAPTER.replace("33207", "-1"), "invalid-field"],
    [CHAPTER.replace('"mileage":33207', '"mileage":33207,"mileage":1'), "invalid-field"],
  ];
  for (const [input, group] of cases) {
    const result = decode(input);
    assert.is(result.ok ? "accepted" : result.group, group, String(input));
  }
});

test("text that is not UTF-8 JSON is rejected, not thrown", () => {
  const cases: [Uint8Array | string, string][] = [
    [new Uint8Array([0x7b, 0xff, 0x7d]), "record: expected UTF-8 text"],
    [new Uint8Array([0xed, 0xa0, 0x80]), "record: expected UTF-8 text"],
    [CHAPTER.slice(0, 40), "record: expected one JSON document"],
    ["", "record: expected one JSON document"],
    [`${CHAPTER}${CHAPTER}`, "record: expected one JSON document"],
    ['{"__proto__":{"event":"TRUCK_ARRIVES"}}', "event: expected one of"],
    [
      CHAPTER.replace("33207", "1e400"),
      "vehicle.mileage: expected a non-negative integer, got Infinity",
    ],
    [
      CHAPTER.replace("33207", "9007199254740993"),
      "vehicle.mileage: expected a non-negative integer",
    ],
  ];
  for (const [input, reason] of cases) {
    const result = decode(input);
    assert.ok(
      !result.ok && result.reason.startsWith(reason),
      `${JSON.stringify(result)} for ${reason}`,
    );
  }
});

test("a __proto__ field is an unexpected field, and pollutes nothing", () => {
  const result = decode(CHAPTER.replace('"event"', '"__proto__":{"polluted":true},"event"'));
  const reason = "__proto__: unexpected field";
  assert.equal(result, { ok: false, path: "__proto__", group: "invalid-field", reason });
  assert.is(({} as { polluted?: boolean }).polluted, undefined);
});

test.run();
