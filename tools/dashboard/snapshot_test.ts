import { test } from "uvu";
import * as assert from "uvu/assert";
import { CHAPTER_ITEMS } from "../../core/testing/fixtures.ts";
import { safeJson, snapshot, truckView } from "./snapshot.ts";
import type { TrucksBody } from "./wire.ts";

const settings = { serviceInterval: 1_000, heartbeatMs: 15_000 };
const full = CHAPTER_ITEMS[0]; // 1HGCM82633A004352 of table 11.3

test("a full item becomes a view with miles since oil change", () => {
  assert.equal(truckView(full, 1_000), {
    vin: "1HGCM82633A004352",
    latitude: 51.5208046,
    longitude: -0.1592323,
    locationTimestamp: "2018-08-02T21:50:49.000Z",
    mileage: 12453,
    mileageAtOilChange: 12418,
    milesSinceOilChange: 35,
    due: false,
  });
});

test("a truck is due once its miles since oil change reach the interval", () => {
  assert.is(truckView(full, 36)?.due, false);
  assert.is(truckView(full, 35)?.due, true);
});

test("missing parts are null and never due; an item without a VIN is left out", () => {
  assert.equal(truckView({ vin: "X", mileage: 5 }, 1), {
    vin: "X",
    latitude: null,
    longitude: null,
    locationTimestamp: null,
    mileage: 5,
    mileageAtOilChange: null,
    milesSinceOilChange: null,
    due: false,
  });
  assert.is(truckView({ mileage: 5 }, 1), undefined);
});

test("the body is sorted by VIN, so scan order does not change the hash", () => {
  const a = { vin: "A", mileage: 1 };
  const b = { vin: "B", mileage: 2 };
  const one = snapshot([b, a], settings);
  const two = snapshot([a, b], settings);
  assert.is(one.hash, two.hash);
  assert.is(one.etag, `"${one.hash}"`);
  assert.is(one.trucks, 2);
  const body = JSON.parse(one.body.toString()) as TrucksBody;
  assert.equal(
    body.trucks.map((t) => t.vin),
    ["A", "B"],
  );
  assert.is(body.serviceInterval, 1_000);
});

test("any change of a value changes the hash", () => {
  const before = snapshot([full], settings);
  assert.is.not(snapshot([{ ...full, mileage: 12454 }], settings).hash, before.hash);
  assert.is.not(snapshot([full], { ...settings, serviceInterval: 2 }).hash, before.hash);
});

test("markup in values is escaped in the JSON and reads back unchanged", () => {
  const vin = "<img src=x onerror=alert(1)>&\u2028";
  const text = safeJson({ vin });
  assert.not.match(text, /[<>&\u2028]/);
  assert.equal(JSON.parse(text), { vin });
});

test.run();
