/**
 * Write requests per 1,000 events: the bundle's one-write-per-truck strategy
 * next to the chapter's three writes per truck, on the same generated
 * streams, in one run against dynalite. Two shards drained at once (two
 * concurrent invocation streams), batches of 100, events spread over the
 * shards by random partition keys, as the event source mapping would.
 *
 *   node --import tsx handler/testing/measure_writes.ts   (EVENTS=10000 by default)
 *
 * The forward stream runs on empty tables; the backwards stream then runs
 * entirely before it in time and must change nothing (checked).
 *
 * @module
 */

import fc from "fast-check";
import type { OopsEvent } from "../../core/mod.ts";
import { oracleTable } from "../../core/testing/oracle.ts";
import { noWrites, type WriteCounts } from "../write.ts";
import type { Handler } from "./bundle.ts";
import { drainShard } from "./esm.ts";
import { delivery, moves, oilChange, TRUCKS } from "./events.ts";
import { recordsOf, sequencer } from "./kinesis.ts";
import { captureLogs } from "./logs.ts";
import { startStack, TABLE } from "./stack.ts";
import { createTable, scanTable } from "./table.ts";
import { chapterHandler } from "./three_writes.ts";

const EVENTS = Number(process.env.EVENTS ?? 10_000);
const SHARDS = 2;
const BATCH_SIZE = 100;
const CHAPTER_TABLE = "oops-trucks-chapter";
const START = Date.UTC(2018, 0, 1);
const PLACES = [
  [51.5208046, -0.1592323],
  [51.4972997, -0.0955459],
  [51.4704112, -0.1187563],
] as const;

const tick = fc.record({
  truck: fc.integer({ min: 0, max: 2 }),
  kind: fc.integer({ min: 0, max: 4 }),
  miles: fc.integer({ min: 0, max: 30 }),
  minutes: fc.integer({ min: 0, max: 300 }),
  place: fc.integer({ min: 0, max: 2 }),
});

/**
 * The chapter generator's walk: each tick picks a truck and one of the five
 * event kinds, and steps the truck's odometer by 0-30 miles and the clock by
 * 0-300 minutes, forward (`direction` 1) or backwards (-1) from the start.
 */
function stream(direction: 1 | -1, seed: number): OopsEvent[] {
  const [ticks = []] = fc.sample(fc.array(tick, { minLength: EVENTS, maxLength: EVENTS }), {
    seed,
    numRuns: 1,
  });
  const mileage = [100_000, 200_000, 300_000];
  let clock = START - (direction === 1 ? 0 : 60_000);
  return ticks.map(({ truck, kind, miles, minutes, place }) => {
    clock += direction * minutes * 60_000;
    mileage[truck] = (mileage[truck] as number) + direction * (miles + (direction === 1 ? 0 : 1));
    const vin = TRUCKS[truck] as string;
    const at = new Date(clock).toISOString();
    const odometer = mileage[truck] as number;
    if (kind === 0)
      return moves(vin, odometer, at, PLACES[place] as readonly [number, number], "TRUCK_ARRIVES");
    if (kind === 1) return moves(vin, odometer, at, PLACES[place] as readonly [number, number]);
    if (kind === 2) return oilChange(vin, odometer, at);
    return delivery(at);
  });
}

/** Spreads events over the shards (seeded), then drains the shards at once. */
async function run(handler: Handler, events: readonly OopsEvent[], seed: number): Promise<number> {
  const [shardOf = []] = fc.sample(
    fc.array(fc.integer({ min: 0, max: SHARDS - 1 }), {
      minLength: events.length,
      maxLength: events.length,
    }),
    { seed, numRuns: 1 },
  );
  const shards = Array.from({ length: SHARDS }, (_, s) =>
    events.filter((_, i) => shardOf[i] === s),
  );
  const started = performance.now();
  await Promise.all(
    shards.map((list) =>
      drainShard(handler, recordsOf(list, sequencer()), { batchSize: BATCH_SIZE }),
    ),
  );
  return performance.now() - started;
}

const stack = await startStack();
const logs = captureLogs();
try {
  await createTable(stack.dynamo, CHAPTER_TABLE);
  const ours = await stack.load();
  const chapterCounts = noWrites();
  const chapter = chapterHandler({ dynamo: stack.dynamo, tableName: CHAPTER_TABLE }, chapterCounts);
  /** The bundle's counts, from its summary lines so far. */
  const ourCounts = (): WriteCounts => {
    const sum = (key: keyof WriteCounts) =>
      logs.summaries().reduce((n, s) => n + Number(s[key]), 0);
    return {
      writeRequests: sum("writeRequests"),
      conditionFailures: sum("conditionFailures"),
      storedReads: sum("storedReads"),
    };
  };
  const forward = stream(1, 1);
  const rows: string[] = [];
  for (const [name, events] of [
    ["forward", forward],
    ["backwards", stream(-1, 2)],
  ] as const) {
    for (const [strategy, handler, counts] of [
      ["one write per truck (bundle)", ours, ourCounts],
      ["three writes per truck (chapter)", chapter, () => ({ ...chapterCounts })],
    ] as const) {
      const before = counts();
      const ms = await run(handler as Handler, events, 3);
      const after = counts();
      const per1000 = (key: keyof WriteCounts) =>
        ((after[key] - before[key]) * 1000) / events.length;
      rows.push(
        `| ${name} | ${strategy} | ${per1000("writeRequests").toFixed(1)} | ` +
          `${per1000("conditionFailures").toFixed(1)} | ${per1000("storedReads").toFixed(1)} | ${Math.round(ms)} |`,
      );
    }
  }
  const expected = JSON.stringify(oracleTable(forward));
  for (const table of [TABLE, CHAPTER_TABLE]) {
    if (JSON.stringify(await scanTable(stack.dynamo, table)) !== expected) {
      throw new Error(`${table} does not hold the forward stream's oracle table`);
    }
  }
  logs.restore();
  console.log(
    `${EVENTS} events per stream, ${SHARDS} shards drained at once, batches of ${BATCH_SIZE}; per 1,000 events:`,
  );
  console.log("| stream | strategy | write requests | refused | stored reads | ms |");
  console.log("|---|---|---|---|---|---|");
  for (const row of rows) console.log(row);
} finally {
  logs.restore();
  await stack.stop();
}
