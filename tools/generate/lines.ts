/**
 * What the generator prints, as pure functions of what happened: the
 * chapter's `Wrote TruckArrivesEvent with timestamp 2018-01-01 00:14:00` per
 * event, or one progress line a second when writing as fast as possible.
 *
 * @module
 */

import type { EventName, OopsEvent } from "../../core/mod.ts";
import { formatTime } from "../trucks.ts";
import type { Direction } from "./world.ts";

/** The chapter's generator printed its Python class names. */
export const EVENT_LABELS: Readonly<Record<EventName, string>> = {
  TRUCK_ARRIVES: "TruckArrivesEvent",
  TRUCK_DEPARTS: "TruckDepartsEvent",
  MECHANIC_CHANGES_OIL: "MechanicChangesOil",
  DRIVER_DELIVERS_PACKAGE: "DriverDeliversPackage",
  DRIVER_MISSES_CUSTOMER: "DriverMissesCustomer",
};

/** `Wrote TruckArrivesEvent with timestamp 2018-01-01 00:14:00` */
export function wroteLine(event: OopsEvent): string {
  return `Wrote ${EVENT_LABELS[event.event]} with timestamp ${formatTime(event.timestamp)}`;
}

/** How to repeat this run, printed first so that a surprising run can be replayed. */
export function seedLine(seed: number, direction: Direction, start: Date): string {
  return `Seed ${seed}, ${direction} from ${formatTime(start.toISOString())} (repeat with --seed ${seed})`;
}

const perSecond = (count: number, elapsedMs: number) =>
  elapsedMs <= 0 ? "" : ` (${Math.round((count * 1000) / elapsedMs)}/s)`;

/** `Wrote 12000 events (5012/s), up to 2018-03-06 00:39:00` */
export function progressLine(written: number, elapsedMs: number, latest: OopsEvent): string {
  return `Wrote ${written} events${perSecond(written, elapsedMs)}, up to ${formatTime(latest.timestamp)}`;
}

/** The last line: how many events, and whether Ctrl-C cut the run short. */
export function doneLine(written: number, elapsedMs: number, interrupted: boolean): string {
  const seconds = (elapsedMs / 1000).toFixed(1);
  const summary = `${written} event${written === 1 ? "" : "s"} in ${seconds} s${perSecond(written, elapsedMs)}`;
  return interrupted ? `Stopped after ${summary}` : `Done: ${summary}`;
}
