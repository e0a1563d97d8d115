import { test } from "uvu";
import * as assert from "uvu/assert";
import type { OopsEvent } from "../../core/mod.ts";
import { doneLine, progressLine, seedLine, wroteLine } from "./lines.ts";

const arrives: OopsEvent = {
  event: "TRUCK_ARRIVES",
  timestamp: "2018-01-01T00:14:00Z",
  vehicle: { vin: "1HGCM82633A004352", mileage: 32340 },
  location: { latitude: 51.522834, longitude: -0.081813, elevation: 7 },
};

test("one line per event, as the chapter's generator printed it", () => {
  assert.is(wroteLine(arrives), "Wrote TruckArrivesEvent with timestamp 2018-01-01 00:14:00");
  const oil: OopsEvent = {
    event: "MECHANIC_CHANGES_OIL",
    timestamp: "2017-12-31T15:45:00Z",
    employee: { id: "5e8d6a58-6f4c-4c2b-9a47-1f1c3b0a2d11", jobRole: "JNR_MECHANIC" },
    vehicle: arrives.vehicle,
  };
  assert.is(wroteLine(oil), "Wrote MechanicChangesOil with timestamp 2017-12-31 15:45:00");
});

test("the seed line says how to repeat the run", () => {
  assert.is(
    seedLine(42, "backwards", new Date("2018-01-01T00:00:00Z")),
    "Seed 42, backwards from 2018-01-01 00:00:00 (repeat with --seed 42)",
  );
});

test("progress and summary lines give counts and rates", () => {
  assert.is(
    progressLine(12_000, 2_000, arrives),
    "Wrote 12000 events (6000/s), up to 2018-01-01 00:14:00",
  );
  assert.is(doneLine(10, 10_000, false), "Done: 10 events in 10.0 s (1/s)");
  assert.is(doneLine(1, 0, true), "Stopped after 1 event in 0.0 s");
});

test.run();
