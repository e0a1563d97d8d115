import fc from "fast-check";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { decode, EVENT_NAMES, map, type OopsEvent, reduce } from "../../core/mod.ts";
import { check } from "../../core/testing/property.ts";
import {
  type Direction,
  events,
  MAX_MILES_PER_TICK,
  MAX_MINUTES_PER_TICK,
  START,
  TRUCKS,
} from "./world.ts";

const vehicleOf = (e: OopsEvent) => ("vehicle" in e ? e.vehicle : undefined);
const time = (e: OopsEvent) => Date.parse(e.timestamp);

const options = fc.record({
  seed: fc.integer({ min: 0, max: 0xffff_ffff }),
  direction: fc.constantFrom<Direction>("forward", "backwards"),
  start: fc.date({
    min: new Date("1900-01-01T00:00:00Z"),
    max: new Date("2100-01-01T00:00:00Z"),
    noInvalidDate: true,
  }),
});

test("the same seed gives the same events; another seed, others", () => {
  const run = (seed: number) => JSON.stringify([...events({ seed, count: 200 })]);
  assert.is(run(7), run(7));
  assert.is.not(run(7), run(8));
});

test("starts at 2018-01-01T00:00:00Z and writes timestamps the chapter's way", () => {
  const [first] = events({ seed: 1, count: 1 });
  assert.ok(first);
  assert.match(first.timestamp, /^2018-01-01T0[0-4]:\d\d:00Z$/);
  assert.ok(time(first) - Date.parse(START) <= MAX_MINUTES_PER_TICK * 60_000);
});

test("count bounds the sequence; without it the sequence goes on", () => {
  assert.is([...events({ seed: 3, count: 17 })].length, 17);
  let n = 0;
  for (const _ of events({ seed: 3 })) if (++n === 10_000) break;
  assert.is(n, 10_000);
});

test("every generated event decodes, and all five types appear", async () => {
  await check(
    fc.property(options, (opts) => {
      const seen = new Set<string>();
      for (const e of events({ ...opts, count: 300 })) {
        const decoded = decode(JSON.stringify(e));
        if (!decoded.ok) throw new Error(`${decoded.reason} in ${JSON.stringify(e)}`);
        seen.add(e.event);
      }
      assert.equal([...seen].sort(), [...EVENT_NAMES].sort());
    }),
    30,
  );
});

test("each tick moves the clock and one odometer within bounds, the run's way", async () => {
  await check(
    fc.property(options, (opts) => {
      const sign = opts.direction === "forward" ? 1 : -1;
      let clock = opts.start.getTime();
      const last = new Map<string, { tick: number; mileage: number }>();
      let tick = 0;
      for (const e of events({ ...opts, count: 500 })) {
        tick++;
        const minutes = (sign * (time(e) - clock)) / 60_000;
        assert.ok(minutes >= 0 && minutes <= MAX_MINUTES_PER_TICK, `clock step ${minutes} min`);
        clock = time(e);
        const vehicle = vehicleOf(e);
        if (vehicle === undefined) continue;
        const before = last.get(vehicle.vin);
        if (before !== undefined) {
          const miles = sign * (vehicle.mileage - before.mileage);
          assert.ok(miles >= 0, `${vehicle.vin} odometer ran the wrong way by ${miles}`);
          assert.ok(miles <= MAX_MILES_PER_TICK * (tick - before.tick), `${miles} miles too far`);
        }
        last.set(vehicle.vin, { tick, mileage: vehicle.mileage });
      }
    }),
    30,
  );
});

test("only the chapter's trucks appear, starting near their odometers", () => {
  const start = new Map(TRUCKS.map((t) => [t.vin, t.mileage]));
  const first = new Map<string, number>();
  for (const e of events({ seed: 11, count: 300 })) {
    const vehicle = vehicleOf(e);
    if (vehicle === undefined) continue;
    assert.ok(start.has(vehicle.vin), vehicle.vin);
    if (!first.has(vehicle.vin)) first.set(vehicle.vin, vehicle.mileage);
  }
  assert.is(first.size, TRUCKS.length);
});

test("backwards, odometers run down to 0 and stay there", () => {
  const lowest = new Map<string, number>();
  for (const e of events({ seed: 5, count: 20_000, direction: "backwards" })) {
    const vehicle = vehicleOf(e);
    if (vehicle === undefined) continue;
    assert.ok(vehicle.mileage >= 0, `${vehicle.vin} at ${vehicle.mileage}`);
    lowest.set(vehicle.vin, Math.min(lowest.get(vehicle.vin) ?? Infinity, vehicle.mileage));
  }
  assert.equal([...lowest.values()], [0, 0, 0]);
});

test("the sequence ends before a timestamp would leave the four-digit years", () => {
  const all = [
    ...events({ seed: 9, start: new Date("0000-01-02T00:00:00Z"), direction: "backwards" }),
  ];
  assert.ok(all.length < 50, `${all.length} events`);
  for (const e of all) assert.ok(decode(JSON.stringify(e)).ok, e.timestamp);
});

test("the chapter's test: a backwards run after a forward one changes no truck's row", () => {
  const table = (list: OopsEvent[]) => reduce(list.map(map));
  const forward = [...events({ seed: 21, count: 500 })];
  const before = table(forward);
  assert.ok(before.every((row) => row.location && row.mileageAtOilChange !== undefined));
  const backwards = [...events({ seed: 22, count: 500, direction: "backwards" })];
  assert.equal(table([...forward, ...backwards]), before);
  const restarted = [...events({ seed: 23, count: 20 })];
  assert.equal(table([...forward, ...restarted]), before, "a restart has not overtaken yet");
});

test.run();
