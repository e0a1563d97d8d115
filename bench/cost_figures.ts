/**
 * The cost section's figures: what each strategy sent on each stream,
 * counted as requests and per 1,000 events, and ours' write requests over
 * the chapter's and naive's. Derived from the runs, without I/O.
 *
 * @module
 */

import type { Item } from "../core/mod.ts";
import type { RequestCounts } from "./counting.ts";
import type { StrategyName } from "./strategies.ts";
import { STREAM_NAMES, type Stream, type StreamName } from "./streams.ts";

/** What one strategy sent on one stream, and (ours) the trucks it did not write. */
export interface StreamCounts extends RequestCounts {
  /** Trucks the floor found nothing to write for (ours only; 0 for the others). */
  readonly skippedByFloor: number;
}

/** One strategy's requests per stream, and the table it left. */
export interface StrategyRun {
  readonly name: StrategyName;
  readonly counts: Map<StreamName, StreamCounts>;
  readonly table: Item[];
}

/** One strategy on one stream. */
export interface CostRow extends StreamCounts {
  readonly stream: StreamName;
  readonly strategy: StrategyName;
  readonly events: number;
  readonly writesPer1000: number;
  readonly failuresPer1000: number;
  readonly readsPer1000: number;
  readonly skippedPer1000: number;
}

export interface CostFigures {
  readonly eventsPerStream: number;
  readonly shards: number;
  readonly batchSize: number;
  readonly rows: readonly CostRow[];
  /** Write requests of ours over the chapter's and over naive, per stream. */
  readonly ratios: readonly {
    stream: StreamName;
    oursOverChapter: number;
    oursOverNaive: number;
  }[];
  /** Trucks in each final table (all equal, or the run failed). */
  readonly trucks: number;
  /**
   * Ours on the forward stream again, with VIN partition keys: each truck on
   * one shard, so no two containers race on it (per 1,000 events).
   */
  readonly vinKeyed: { readonly writesPer1000: number; readonly refusedPer1000: number };
  readonly seconds: number;
}

export const per1000 = (n: number, events: number) => (n / events) * 1000;

/** A row per stream and strategy, streams first, in the order of `streams` and of `runs`. */
export function costRows(streams: readonly Stream[], runs: readonly StrategyRun[]): CostRow[] {
  return streams.flatMap((stream) =>
    runs.map((r) => {
      const c = r.counts.get(stream.name) as StreamCounts;
      const events = stream.events.length;
      return {
        stream: stream.name,
        strategy: r.name,
        events,
        ...c,
        writesPer1000: per1000(c.updates, events),
        failuresPer1000: per1000(c.conditionFailures, events),
        readsPer1000: per1000(c.gets, events),
        skippedPer1000: per1000(c.skippedByFloor, events),
      };
    }),
  );
}

/** The row of strategy `name` on `stream`, if it was measured. */
export function rowOf(
  rows: readonly CostRow[],
  stream: StreamName,
  name: StrategyName,
): CostRow | undefined {
  return rows.find((r) => r.stream === stream && r.strategy === name);
}

export function writeRatios(rows: readonly CostRow[]): CostFigures["ratios"] {
  const writes = (stream: StreamName, name: StrategyName) =>
    rowOf(rows, stream, name)?.updates ?? Number.NaN;
  return STREAM_NAMES.map((stream) => ({
    stream,
    oursOverChapter: writes(stream, "ours") / writes(stream, "chapter"),
    oursOverNaive: writes(stream, "ours") / writes(stream, "naive"),
  }));
}
