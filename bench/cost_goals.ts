/**
 * The cost section's goals: ours' write requests against the chapter's on
 * every stream, and the floor's goals for ours (few writes on a stream the
 * table already holds, few refused writes).
 *
 * @module
 */

import { type CostFigures, type CostRow, rowOf } from "./cost_figures.ts";
import type { Goal } from "./section.ts";
import { num, times } from "./stats.ts";
import type { StrategyName } from "./strategies.ts";
import type { StreamName } from "./streams.ts";

/** The goals: against the chapter on every stream, and the floor's goals for ours. */
export function costGoals(f: CostFigures): Goal[] {
  const row = (stream: StreamName, name: StrategyName) => rowOf(f.rows, stream, name) as CostRow;
  const perK = (stream: StreamName, pick: (r: CostRow) => number) =>
    `${num(pick(row(stream, "ours")))} (chapter ${num(pick(row(stream, "chapter")))})`;
  return [
    ...f.ratios.map((r) => ({
      name: `write requests ≤ 0.5 × chapter (${r.stream})`,
      value: times(r.oursOverChapter),
      met: r.oursOverChapter <= 0.5,
    })),
    {
      name: "write requests ≤ 1 per 1,000 events (backwards, warm containers)",
      value: perK("backwards", (r) => r.writesPer1000),
      met: row("backwards", "ours").writesPer1000 <= 1,
    },
    ...(["forward", "both"] as const).map((stream) => ({
      name: `refused writes ≤ 1 per 1,000 events (${stream})`,
      value: perK(stream, (r) => r.failuresPer1000),
      met: row(stream, "ours").failuresPer1000 <= 1,
    })),
  ];
}
