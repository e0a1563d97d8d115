import fc from "fast-check";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { decode } from "./decode.ts";
import type { OopsEvent, TruckArrives } from "./event.ts";
import { event } from "./testing/arbitraries.ts";
import { check } from "./testing/property.ts";

const CHAPTER =
  '{"event":"TRUCK_ARRIVES","location":{"elevation":7,"latitude":51.522834,"longitude":-0.081813},' +
  '"timestamp":"2018-01-12T12:42:00Z","vehicle":{"mileage":33207,"vin":"1HGCM82633A004352"}}';

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

test("numbers DynamoDB cannot store are rejected in every numeric field", () => {
  const cases: [string, string, string][] = [
    ["51.522834", "1e-200", "location.latitude"],
    ["51.522834", "-5e-324", "location.latitude"],
    ["-0.081813", "1e-131", "location.longitude"],
    ['"elevation":7', '"elevation":1e126', "location.elevation"],
    ['"elevation":7', '"elevation":-1e200', "location.elevation"],
    ['"elevation":7', '"elevation":2e-300', "location.elevation"],
  ];
  for (const [from, to, path] of cases) {
    const result = decode(CHAPTER.replace(from, to));
    assert.is(result.ok ? "accepted" : result.path, path, to);
    if (!result.ok) assert.ok(result.reason.includes("DynamoDB's range"), result.reason);
  }
  for (const [from, to] of [
    ["51.522834", "1e-130"],
    ["51.522834", "-0"],
    ['"elevation":7', '"elevation":9.99999999999999e125'],
    ["33207", "9007199254740991"],
  ]) {
    assert.ok(decode(CHAPTER.replace(from as string, to as string)).ok, to);
  }
});

/** DynamoDB's rule, from the number's decimal exponent: 0, or 1E-130 <= |n| < 1E126. */
function dynamoDbStores(n: number): boolean {
  if (n === 0) return true;
  const exponent = Number(n.toExponential().split("e")[1]);
  return exponent >= -130 && exponent <= 125;
}

test("a coordinate is accepted exactly when it is in range and DynamoDB stores it", async () => {
  const anyDouble = fc.oneof(
    fc.double(),
    fc.double({ min: -180, max: 180 }),
    fc.double({ min: -1e-120, max: 1e-120 }),
    fc.constantFrom(0, -0, 5e-324, -5e-324, 1e-130, -1e-130, 9.99999999999999e-131),
  );
  const truck = JSON.parse(CHAPTER);
  await check(
    fc.property(anyDouble, fc.boolean(), (n, north) => {
      const field = north ? "latitude" : "longitude";
      const limit = north ? 90 : 180;
      const text = JSON.stringify({ ...truck, location: { ...truck.location, [field]: n } });
      const result = decode(text);
      const valid = Number.isFinite(n) && Math.abs(n) <= limit && dynamoDbStores(n);
      assert.is(result.ok, valid, `${field} ${n}`);
      const event = result.ok ? (result.event as TruckArrives) : undefined;
      if (event !== undefined) assert.ok(Object.is(event.location[field], n + 0));
    }),
    2000,
  );
});

test("a __proto__ field is an unexpected field, and pollutes nothing", () => {
  const result = decode(CHAPTER.replace('"event"', '"__proto__":{"polluted":true},"event"'));
  const reason = "__proto__: unexpected field";
  assert.equal(result, { ok: false, path: "__proto__", group: "invalid-field", reason });
  assert.is(({} as { polluted?: boolean }).polluted, undefined);
});

test("decode never throws on random bytes, text or JSON", async () => {
  const inputs = fc.oneof(
    fc.uint8Array({ maxLength: 300 }),
    fc.string({ unit: "binary", maxLength: 300 }),
    fc.json({ maxDepth: 4 }),
    fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v) ?? "null"),
    fc.object().map((v) => JSON.stringify(v) ?? "null"),
  );
  await check(
    fc.property(inputs, (input) => {
      const result = decode(input);
      if (result.ok) return;
      assert.type(result.reason, "string");
      // The record as a whole is at fault exactly when it is not a JSON object.
      assert.is(result.group === "malformed", result.path === "", result.reason);
      if (result.group === "unknown-event") assert.is(result.path, "event");
      else assert.is(result.group, result.path === "" ? "malformed" : "invalid-field");
    }),
    2000,
  );
});

test("every valid event round-trips through its JSON", async () => {
  await check(
    fc.property(event(), (e) => {
      assert.equal(decode(new TextEncoder().encode(JSON.stringify(e))), { ok: true, event: e });
    }),
    1000,
  );
});

/** Every path to a value inside `value`, objects included. */
function paths(value: unknown, prefix: string[] = []): string[][] {
  if (typeof value !== "object" || value === null) return [prefix];
  const nested = Object.entries(value).flatMap(([k, v]) => paths(v, [...prefix, k]));
  return prefix.length === 0 ? nested : [prefix, ...nested];
}

function replaced(value: unknown, path: string[], by: unknown): unknown {
  const [head, ...tail] = path;
  if (head === undefined) return by;
  const copy = { ...(value as Record<string, unknown>) };
  copy[head] = replaced(copy[head], tail, by);
  return copy;
}

const at = (value: unknown, path: string[]) =>
  path.reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], value);

/** Values that no field of the original's type accepts (the same type only where always invalid). */
function corruptions(original: unknown): unknown[] {
  const always = [undefined, null, [], {}];
  if (typeof original === "string") return [...always, "", 1, true];
  if (typeof original === "number") return [...always, "1", true, Number.POSITIVE_INFINITY];
  if (typeof original === "boolean") return [...always, "true", 0];
  return [...always, "x", 1, true];
}

test("every single-field corruption is rejected with that field's path", async () => {
  const corrupted = event().chain((e) =>
    fc
      .constantFrom(...paths(e))
      .chain((path) =>
        fc.tuple(fc.constant(e), fc.constant(path), fc.constantFrom(...corruptions(at(e, path)))),
      ),
  );
  await check(
    fc.property(corrupted, ([e, path, bad]) => {
      const result = decode(JSON.stringify(replaced(e, path, bad)));
      const name = path.join(".");
      assert.is(result.ok, false, `${name} = ${JSON.stringify(bad)} was accepted`);
      if (result.ok) return;
      // An object replaced by {} is reported at its first missing field.
      const about = result.path === name || result.path.startsWith(`${name}.`);
      assert.ok(about, `${result.reason} is not about ${name}`);
      assert.ok(result.reason.startsWith(`${result.path}: `), result.reason);
    }),
    1000,
  );
});

test("an extra field anywhere is rejected with its path", async () => {
  const withExtra = event().chain((e) =>
    fc.tuple(
      fc.constant(e),
      fc.constantFrom(
        ...paths(e).filter(
          (p) =>
            typeof p.reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], e) === "object",
        ),
        [],
      ),
    ),
  );
  await check(
    fc.property(withExtra, ([e, path]) => {
      const text = JSON.stringify(replaced(e, path, { ...(at(e, path) as object), extra: 1 }));
      const name = [...path, "extra"].join(".");
      const reason = `${name}: unexpected field`;
      assert.equal(decode(text), { ok: false, path: name, group: "invalid-field", reason });
    }),
    1000,
  );
});

test.run();
