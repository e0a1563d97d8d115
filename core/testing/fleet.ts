/**
 * Trucks new to each case of an end-to-end property, for tests only. A warm
 * container of the handler remembers what the table held for every truck it
 * wrote (its floor), and emptying the table between cases deletes items
 * behind its back, the one thing that floor may not see. So each case
 * renames the generators' {@link VINS} to VINs that no earlier case of the
 * process used, and the containers stay warm across cases, as on Lambda.
 *
 * @module
 */

import type { OopsEvent } from "../event.ts";
import { VINS } from "./arbitraries.ts";

/** One case's trucks. */
export interface Fleet {
  /** The case's VINs, one per entry of {@link VINS}, in the same order. */
  readonly vins: readonly string[];
  /** `event` with its VIN (one of {@link VINS}) replaced by the case's; other events as they are. */
  rename(event: OopsEvent): OopsEvent;
}

let fleets = 0;

/**
 * A fleet no earlier call returned: each VIN keeps its first ten characters,
 * then `Z` (which no VIN of {@link VINS} has there) and a six-digit count.
 *
 * @example
 * ```ts
 * import { newFleet } from "./fleet.ts";
 * newFleet().vins[0]?.length; // 17
 * ```
 */
export function newFleet(): Fleet {
  const n = String(++fleets).padStart(6, "0");
  const vins = VINS.map((vin) => `${vin.slice(0, 10)}Z${n}`);
  const renamed = new Map<string, string>(VINS.map((vin, i) => [vin, vins[i] as string]));
  return {
    vins,
    rename: (event) => {
      if (!("vehicle" in event)) return event;
      const vin = renamed.get(event.vehicle.vin) ?? event.vehicle.vin;
      return { ...event, vehicle: { ...event.vehicle, vin } } as OopsEvent;
    },
  };
}
