/**
 * Section 5, the local pipeline: `make local`'s stack (kinesis-mock, the
 * polling event source mapping, the bundle, dynalite), measured by
 * `pipeline_measure.ts`: events per second drained from a backlog,
 * and freshness, one event put → its row updated. The baseline is
 * kinesis-mock's own PutRecords rate in the same run.
 *
 * @module
 */

import { measurePipeline, type PipelineFigures } from "../pipeline_measure.ts";
import type { Report, RunOptions, Section } from "../section.ts";
import { ms, num, times } from "../stats.ts";
import { renderTable } from "../table.ts";

export interface PipelineSection extends PipelineFigures {
  readonly events: number;
  /** Drained events per second over events put per second. */
  readonly drainOverPut: number;
}

/** The section's table. */
export function pipelineReport(f: PipelineSection): Report {
  const text = [
    `${f.events.toLocaleString("en")} generated events put, then drained by the mapping; ` +
      `freshness from ${f.samples} single-event probes on an idle pipeline`,
    renderTable(
      ["figure", "value"],
      [
        ["stack ready (emulators, resources, mapping)", ms(f.readyMs)],
        ["PutRecords into kinesis-mock (baseline)", `${num(f.putPerSecond)} events/s`],
        ["sustained: backlog drained through the bundle", `${num(f.eventsPerSecond)} events/s`],
        ["ratio drained / put", times(f.drainOverPut)],
        ["freshness p50 (put → row visible)", ms(f.freshnessP50Ms)],
        ["freshness p99", ms(f.freshnessP99Ms)],
        ["freshness max", ms(f.freshnessMaxMs)],
      ],
    ),
    "emulator-limited: every figure here is bounded by kinesis-mock (PutRecords/GetRecords latency) and",
    "the local mapping's poll (200 ms after an empty read), not by the handler; on AWS the event source",
    "mapping's polling and batching window decide freshness.",
  ].join("\n");
  return {
    figures: f,
    text,
    goals: [
      { name: "freshness p99 ≤ 1 s", value: ms(f.freshnessP99Ms), met: f.freshnessP99Ms <= 1_000 },
    ],
  };
}

export const pipeline: Section = {
  name: "pipeline",
  title: "5. Local pipeline: throughput and freshness through make local's stack",
  emulators: true,
  run: async ({ quick }: RunOptions) => {
    const events = quick ? 500 : 20_000;
    const figures = await measurePipeline({ events, samples: quick ? 20 : 200 });
    return pipelineReport({
      ...figures,
      events,
      drainOverPut: figures.eventsPerSecond / figures.putPerSecond,
    });
  },
};
