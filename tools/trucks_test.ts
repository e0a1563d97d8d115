import { test } from "uvu";
import * as assert from "uvu/assert";
import { toItem } from "../core/mod.ts";
import { CHAPTER_ROWS } from "../core/testing/fixtures.ts";
import { formatTime, renderTrucks, statusRecords } from "./trucks.ts";

/** Two trucks of the chapter's table 11.3, and a third with nothing but a mileage. */
const ROWS = [CHAPTER_ROWS[1], CHAPTER_ROWS[0], { vin: "19UYA31581L000000", mileage: 6754 }];

const TABLE = [
  "VIN                  latitude   longitude  location time        mileage  miles since oil change",
  "19UYA31581L000000           –           –  –                       6754                       –",
  "1HGCM82633A004352  51.5208046  -0.1592323  2018-08-02 21:50:49    12453                      35",
  "JH4TB2H26CC000000  51.4972997  -0.0955459  2018-08-01 22:46:12    19090                     167",
].join("\n");

test("rows render as the chapter's table, sorted by VIN, aligned, unknowns as –", () => {
  assert.fixture(renderTrucks(ROWS), TABLE);
});

test("table items render the same as rows", () => {
  assert.fixture(renderTrucks(ROWS.map(toItem)), TABLE);
});

test("with now, location times say how old they are", () => {
  const now = new Date("2018-08-02T22:00:00Z");
  const lines = renderTrucks(ROWS, now).split("\n");
  assert.match(lines[2] ?? "", /2018-08-02 21:50:49 \(9m ago\) +12453/);
  assert.match(lines[3] ?? "", /2018-08-01 22:46:12 \(23h ago\) +19090/);
  assert.match(renderTrucks(ROWS, new Date("2018-08-02T21:50:59Z")), /\(10s ago\)/);
  assert.match(renderTrucks(ROWS, new Date("2018-08-09T00:00:00Z")), /\(7d ago\)/);
});

test("an empty table is its header", () => {
  assert.is(
    renderTrucks([]),
    "VIN  latitude  longitude  location time  mileage  miles since oil change",
  );
});

test("formatTime prints UTC like the generator, milliseconds only when there are some", () => {
  assert.is(formatTime("2018-01-01T00:14:00Z"), "2018-01-01 00:14:00");
  assert.is(formatTime("2018-01-01T00:14:00.250Z"), "2018-01-01 00:14:00.250");
  assert.is(formatTime("2018-01-01T01:14:00+01:00"), "2018-01-01 00:14:00");
});

test("statusRecords: attribute names, derived miles since oil change, null when unknown", () => {
  assert.equal(statusRecords(ROWS.map(toItem)), [
    {
      vin: "19UYA31581L000000",
      latitude: null,
      longitude: null,
      "location-timestamp": null,
      mileage: 6754,
      "mileage-at-oil-change": null,
      "miles-since-oil-change": null,
    },
    {
      vin: "1HGCM82633A004352",
      latitude: 51.5208046,
      longitude: -0.1592323,
      "location-timestamp": "2018-08-02T21:50:49.000Z",
      mileage: 12453,
      "mileage-at-oil-change": 12418,
      "miles-since-oil-change": 35,
    },
    {
      vin: "JH4TB2H26CC000000",
      latitude: 51.4972997,
      longitude: -0.0955459,
      "location-timestamp": "2018-08-01T22:46:12.000Z",
      mileage: 19090,
      "mileage-at-oil-change": 18923,
      "miles-since-oil-change": 167,
    },
  ]);
});

test.run();
