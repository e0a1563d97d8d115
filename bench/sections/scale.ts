/**
 * Section 6, the scale model: `scale_model.ts` replays fleets of 3 to 100,000
 * trucks through shards, batches and core's reduce, and counts the writes
 * left after pre-aggregation, against one write per event. The full run
 * also redraws `bench/scale.svg`, the chart the README shows.
 *
 * @module
 */

import { writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { scaleChart } from "../chart.ts";
import { type ScaleResult, scaleCases, simulate } from "../scale_model.ts";
import type { Report, RunOptions, Section } from "../section.ts";
import { num } from "../stats.ts";
import { renderTable } from "../table.ts";

export const CHART = fileURLToPath(new URL("../scale.svg", import.meta.url));

export interface ModelFigures {
  readonly eventsPerCase: number;
  readonly cases: readonly ScaleResult[];
  readonly chart: string | undefined;
}

/** Simulates every case of the chart with `events` events each. */
export function measureModel(events: number, seed: number): ScaleResult[] {
  return scaleCases().map((c) => simulate(c, events, seed));
}

const SERIES = [
  ["random", 2],
  ["random", 16],
  ["vin", 2],
  ["vin", 16],
] as const;

/** The section's table: one row per (fleet, batch size), one column per (key, shards). */
export function modelReport(f: ModelFigures): Report {
  const fleets = [...new Set(f.cases.map((c) => c.trucks))];
  const batches = [...new Set(f.cases.map((c) => c.batchSize))];
  const rows = fleets.flatMap((trucks) =>
    batches.map((batchSize) => {
      const at = (key: string, shards: number) =>
        f.cases.find(
          (c) =>
            c.trucks === trucks &&
            c.batchSize === batchSize &&
            c.partitionKey === key &&
            c.shards === shards,
        );
      return [
        trucks.toLocaleString("en"),
        batchSize.toLocaleString("en"),
        ...SERIES.map(([key, shards]) => num(at(key, shards)?.writesPer1000 ?? Number.NaN)),
        `${num(at("vin", 2)?.secondsToFillBatch ?? Number.NaN)} / ${num(at("vin", 16)?.secondsToFillBatch ?? Number.NaN)} s`,
      ];
    }),
  );
  const text = [
    `writes per 1,000 truck events after pre-aggregation (one write per event = 1,000), ` +
      `${f.eventsPerCase.toLocaleString("en")} events per case, each from a uniformly chosen truck`,
    renderTable(
      [
        "trucks",
        "batch",
        "random/2 sh",
        "random/16 sh",
        "VIN/2 sh",
        "VIN/16 sh",
        "fill a batch at 1,000 ev/s (2 / 16 sh)",
      ],
      rows,
    ),
    f.chart === undefined ? "chart not written (quick run)" : `chart: ${f.chart}`,
  ].join("\n");
  return { figures: f, text, goals: [] };
}

export const model: Section = {
  name: "scale",
  title: "6. Scale model: writes left after pre-aggregation, by fleet, batch, key and shards",
  emulators: false,
  run: async ({ quick, seed, writeArtefacts }: RunOptions) => {
    const eventsPerCase = quick ? 5_000 : 200_000;
    const cases = measureModel(eventsPerCase, seed);
    if (writeArtefacts) await writeFile(CHART, `${scaleChart(cases)}\n`);
    return modelReport({
      eventsPerCase,
      cases,
      chart: writeArtefacts ? "bench/scale.svg" : undefined,
    });
  },
};
