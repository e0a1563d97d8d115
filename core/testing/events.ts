/**
 * OOPS events by hand, for the chapter's scenarios: the three trucks of
 * table 11.3 and terse builders for the events that move them.
 *
 * @module
 */

import type { OopsEvent } from "../mod.ts";

/** The chapter's three trucks (table 11.3). */
export const TRUCKS = ["1HGCM82633A004352", "JH4TB2H26CC000000", "19UYA31581L000000"] as const;

const MECHANIC = { id: "6f5a1a7e-0f47-4b5b-9d3b-2d3a5b1c9e10", jobRole: "JNR_MECHANIC" };

/** A truck leaving (`TRUCK_DEPARTS`) or reaching (`TRUCK_ARRIVES`) a place. */
export function moves(
  vin: string,
  mileage: number,
  timestamp: string,
  [latitude, longitude]: readonly [number, number],
  event: "TRUCK_ARRIVES" | "TRUCK_DEPARTS" = "TRUCK_DEPARTS",
): OopsEvent {
  return {
    event,
    timestamp,
    vehicle: { vin, mileage },
    location: { latitude, longitude, elevation: 7 },
  };
}

/** A mechanic changing a truck's oil. */
export function oilChange(vin: string, mileage: number, timestamp: string): OopsEvent {
  return {
    event: "MECHANIC_CHANGES_OIL",
    timestamp,
    employee: MECHANIC,
    vehicle: { vin, mileage },
  };
}

/** A driver delivering a parcel (says nothing about any truck). */
export function packageDelivered(timestamp: string): OopsEvent {
  return {
    event: "DRIVER_DELIVERS_PACKAGE",
    timestamp,
    employee: { id: "0d7a3c55-3a4b-4c8e-9f1a-2b3c4d5e6f70", jobRole: "DRIVER" },
    package: { id: "0b0f6bd6-4e0a-4d4f-9e0c-7d3e3f1c2b10" },
    customer: { id: "2c3f5a4e-1d2b-4c3a-8e9f-0a1b2c3d4e5f", isVip: false },
    location: { latitude: 51.5, longitude: -0.1, elevation: 7 },
  };
}
