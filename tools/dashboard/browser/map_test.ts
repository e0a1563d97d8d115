import { test } from "uvu";
import * as assert from "uvu/assert";
import type { TruckView } from "../wire.ts";
import { describe } from "./map.ts";

const truck = (vin: string, latitude: number | null, longitude: number | null, due = false) =>
  ({ vin, latitude, longitude, due }) as TruckView;

test("the map's text alternative says how many trucks, where, which are due, and the depots", () => {
  const trucks = [truck("A", 51.47, -0.16, true), truck("B", 51.52, -0.08), truck("C", null, null)];
  const located = trucks.filter((t) => t.latitude !== null) as (TruckView & {
    latitude: number;
    longitude: number;
  })[];
  assert.is(
    describe(trucks, located),
    "2 of 3 trucks have a reported position, 1 of them due for an oil change. " +
      "They lie between latitudes 51.470 and 51.520 and longitudes -0.160 and -0.080. " +
      "Depots shown for reference: Marylebone, Southwark, Stockwell, Shoreditch, Charing Cross.",
  );
  assert.is(
    describe([], []),
    "0 of 0 trucks have a reported position. Depots shown for reference: " +
      "Marylebone, Southwark, Stockwell, Shoreditch, Charing Cross.",
  );
});

test.run();
