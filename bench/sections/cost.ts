/**
 * Section 1, DynamoDB cost: the chapter's three streams (forward, backwards,
 * both at once) replayed through each strategy on a table of its own in
 * dynalite, two shards concurrently, counting the requests each sends (ours
 * on a warm container per shard, which keeps its floor from stream to
 * stream, as Lambda keeps a container between invocations). Then
 * the three final tables must equal each other and the oracle's table of the
 * same events, or the bench fails: a cheaper strategy that computes another
 * table proves nothing.
 *
 * The run is `cost_measure.ts` (with `cost_vin_keyed.ts`), its figures
 * `cost_figures.ts`, its goals `cost_goals.ts`; this file prints them.
 *
 * @module
 */

import type { CostFigures } from "../cost_figures.ts";
import { costGoals } from "../cost_goals.ts";
import { measureCost } from "../cost_measure.ts";
import type { Report, RunOptions, Section } from "../section.ts";
import { int, num, times } from "../stats.ts";
import { renderTable } from "../table.ts";

/** The section's table and notes. */
export function costReport(f: CostFigures): Report {
  const table = renderTable(
    [
      "stream",
      "strategy",
      "writes/1k ev",
      "refused/1k",
      "reads/1k",
      "skipped/1k",
      "writes",
      "refused",
    ],
    f.rows.map((r) => [
      r.stream,
      r.strategy,
      num(r.writesPer1000),
      num(r.failuresPer1000),
      num(r.readsPer1000),
      r.strategy === "ours" ? num(r.skippedPer1000) : "–",
      int(r.updates),
      int(r.conditionFailures),
    ]),
  );
  const ratios = renderTable(
    ["stream", "ours/chapter writes", "ours/naive writes"],
    f.ratios.map((r) => [r.stream, times(r.oursOverChapter), times(r.oursOverNaive)]),
  );
  const text = [
    `${f.eventsPerStream.toLocaleString("en")} events per stream, ${f.shards} shards (random partition keys), ` +
      `batches of ${f.batchSize}, shards replayed concurrently; one dynalite table per strategy`,
    "naive = the chapter's conditional writes for every truck event (fig. 11.8): 2 UpdateItems per truck event;",
    "chapter = batch reduced per truck, then the chapter's 3 guarded UpdateItems per truck in turn (listings 11.4-11.5);",
    "ours = handler/process.ts: 1 combined UpdateItem per truck, narrowed only where the table knows better,",
    "  on a warm container per shard (kept across the streams) whose floor drops what the table is known to hold.",
    table,
    ratios,
    `final tables: naive = chapter = ours = oracle (${f.trucks} trucks, Scan) ✓`,
    "refused = ConditionalCheckFailed (DynamoDB bills it as a write). reads = ours' GetItem after a",
    "refusal: dynalite ignores ReturnValuesOnConditionCheckFailure; DynamoDB returns the item with the",
    "refusal, so on AWS ours sends no reads at all (emulator-limited figure). skipped = trucks of a batch",
    "ours did not write because its container knew the table held at least their row. The refusals left",
    "are races: both shards' containers write the same truck at once (random partition keys), and",
    "neither can know the other's write before it lands. With VIN partition keys (each truck on one",
    `shard) ours sends ${num(f.vinKeyed.writesPer1000)} writes and ${num(f.vinKeyed.refusedPer1000)} refused per 1,000 forward events.`,
  ].join("\n");
  return { figures: f, text, goals: costGoals(f) };
}

export const cost: Section = {
  name: "cost",
  title:
    "1. DynamoDB cost: requests per 1,000 events, three strategies, the chapter's three streams",
  emulators: true,
  run: async ({ quick, seed }: RunOptions) =>
    costReport(await measureCost(quick ? 1_000 : 10_000, seed)),
};
