import { test } from "uvu";
import * as assert from "uvu/assert";
import type { OopsEvent } from "../core/mod.ts";
import { readBatch, shardIdOf } from "./records.ts";
import { kinesisRecord, recordsOf, SHARD_ID } from "./testing/kinesis.ts";

const VIN = "1HGCM82633A004352";
const OTHER = "JH4TB2H26CC000000";

const departs = (vin: string, mileage: number, timestamp: string): OopsEvent => ({
  event: "TRUCK_DEPARTS",
  timestamp,
  vehicle: { vin, mileage },
  location: { latitude: 51.5, longitude: -0.1, elevation: 7 },
});

const oil = (vin: string, mileage: number): OopsEvent => ({
  event: "MECHANIC_CHANGES_OIL",
  timestamp: "2018-01-12T12:00:00.000Z",
  employee: { id: "6f5a1a7e-0f47-4b5b-9d3b-2d3a5b1c9e10", jobRole: "JNR_MECHANIC" },
  vehicle: { vin, mileage },
});

const delivers: OopsEvent = {
  event: "DRIVER_DELIVERS_PACKAGE",
  timestamp: "2018-01-12T12:00:00.000Z",
  employee: { id: "6f5a1a7e-0f47-4b5b-9d3b-2d3a5b1c9e10", jobRole: "DRIVER" },
  package: { id: "0b0f6bd6-4e0a-4d4f-9e0c-7d3e3f1c2b10" },
  customer: { id: "2c3f5a4e-1d2b-4c3a-8e9f-0a1b2c3d4e5f", isVip: false },
  location: { latitude: 51.5, longitude: -0.1, elevation: 7 },
};

test("one row per truck, merged, with the lowest sequence number behind it", () => {
  const records = [
    kinesisRecord(departs(VIN, 100, "2018-01-12T12:42:00Z"), "1000"),
    kinesisRecord(oil(OTHER, 50), "999"),
    kinesisRecord(oil(VIN, 90), "98"),
    kinesisRecord(departs(VIN, 120, "2018-01-12T13:00:00Z"), "1001"),
  ];
  const batch = readBatch(records);
  assert.equal(batch.trucks, [
    {
      row: {
        vin: VIN,
        mileage: 120,
        mileageAtOilChange: 90,
        location: { timestamp: "2018-01-12T13:00:00.000Z", latitude: 51.5, longitude: -0.1 },
      },
      from: "98",
    },
    { row: { vin: OTHER, mileage: 50, mileageAtOilChange: 50 }, from: "999" },
  ]);
  assert.is(batch.decoded, 4);
  assert.equal(batch.rejects, []);
});

test("driver events decode but feed no truck", () => {
  const batch = readBatch(recordsOf([delivers]));
  assert.is(batch.decoded, 1);
  assert.equal(batch.trucks, []);
});

test("bad records are set aside with core's reason, and feed nothing", () => {
  const bad = { ...departs(VIN, -3, "2018-01-12T12:42:00Z") };
  const records = recordsOf([
    bad,
    "not json",
    new Uint8Array([0xff, 0xfe]),
    departs(OTHER, 1, "2018-01-12T12:42:00Z"),
  ]);
  const batch = readBatch(records);
  assert.is(batch.decoded, 1);
  assert.equal(
    batch.rejects.map((r) => [r.path, r.record]),
    records.slice(0, 3).map((record, i) => [["vehicle.mileage", "", ""][i], record]),
  );
  assert.match(
    batch.rejects[0]?.reason ?? "",
    /^vehicle\.mileage: expected a non-negative integer, got -3/,
  );
  assert.equal(
    batch.trucks.map((t) => [t.row.vin, t.from]),
    [[OTHER, records[3]?.kinesis.sequenceNumber]],
  );
});

test("the shard comes from the eventID", () => {
  assert.is(shardIdOf(kinesisRecord("x", "42")), SHARD_ID);
});

test.run();
