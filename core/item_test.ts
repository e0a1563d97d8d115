import { test } from "uvu";
import * as assert from "uvu/assert";
import { fromItem, toItem } from "./item.ts";
import type { Row } from "./row.ts";

const row: Row = {
  vin: "JH4TB2H26CC000000",
  mileage: 19090,
  mileageAtOilChange: 18923,
  location: { timestamp: "2018-08-01T22:46:12.000Z", latitude: 51.4972997, longitude: -0.0955459 },
};

test("a row round-trips through its item, under the design card's attribute names", () => {
  const item = toItem(row);
  assert.equal(Object.keys(item).sort(), [
    "latitude",
    "location-timestamp",
    "longitude",
    "mileage",
    "mileage-at-oil-change",
    "vin",
  ]);
  assert.equal(fromItem(item), row);
});

test("missing or mistyped attributes read as missing parts", () => {
  assert.equal(fromItem({ vin: "JH4TB2H26CC000000", mileage: "12" }), { vin: "JH4TB2H26CC000000" });
  assert.equal(fromItem({ "location-timestamp": "2018-01-01T00:00:00.000Z", latitude: 1 }), {});
  assert.equal(fromItem({}), {});
});

test.run();
