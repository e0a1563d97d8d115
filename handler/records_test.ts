import { test } from "uvu";
import * as assert from "uvu/assert";
import { kinesisRecord, recordsOf, TEST_SOURCE } from "../aws/lambda/event.ts";
import { moves, oilChange, packageDelivered, TRUCKS } from "../core/testing/events.ts";
import { readBatch, replayFrom, shardIdOf } from "./records.ts";

const [VIN, OTHER] = TRUCKS;
const HERE = [51.5, -0.1] as const;
const departs = (vin: string, mileage: number, timestamp: string) =>
  moves(vin, mileage, timestamp, HERE);
const oil = (vin: string, mileage: number) => oilChange(vin, mileage, "2018-01-12T12:00:00.000Z");
const delivers = packageDelivered("2018-01-12T12:00:00.000Z");

test("one row per truck, merged, with the records behind it and the lowest sequence number", () => {
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
      records: [records[0], records[2], records[3]],
    },
    {
      row: { vin: OTHER, mileage: 50, mileageAtOilChange: 50 },
      records: [records[1]],
    },
  ]);
  assert.equal(batch.trucks.map(replayFrom), ["98", "999"]);
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
    batch.trucks.map((t) => [t.row.vin, replayFrom(t)]),
    [[OTHER, records[3]?.kinesis.sequenceNumber]],
  );
});

test("the shard comes from the eventID", () => {
  assert.is(shardIdOf(kinesisRecord("x", "42")), TEST_SOURCE.shardId);
});

test.run();
