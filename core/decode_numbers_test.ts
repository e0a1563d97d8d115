/**
 * decode accepts only numbers the table can store (DynamoDB: 0, or a
 * magnitude from 1E-130 to below 1E126), in every numeric field: a record
 * that decodes is never refused by the table.
 */
import fc from "fast-check";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { decode } from "./decode.ts";
import type { TruckArrives } from "./event.ts";
import { CHAPTER_RECORD as CHAPTER } from "./testing/fixtures.ts";
import { check } from "./testing/property.ts";

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

test.run();
