/**
 * The mapping's periodic progress line: throughput and lag at a glance, with
 * no line per record (the handler already logs one line per batch). Quiet
 * while nothing happens, so an idle stack does not fill its log.
 *
 * @module
 */

import type { MappingStats } from "../../aws/lambda/mapping.ts";

/** The message `make local` and the tests look for. */
export const PROGRESS = "mapping progress";

/** The message that says the mapping is polling every shard. */
export const READY = "mapping ready";

/** Totals at the previous line. */
export interface Mark {
  readonly records: number;
  readonly at: number;
}

/** The line for the interval since `mark`, or undefined when no batch ran in it. */
export function progressLine(
  stats: Readonly<MappingStats>,
  mark: Mark,
  now: number,
): Record<string, unknown> | undefined {
  if (stats.records === mark.records) return undefined;
  const seconds = Math.max(0.001, (now - mark.at) / 1000);
  return {
    msg: PROGRESS,
    records: stats.records,
    perSecond: Math.round((stats.records - mark.records) / seconds),
    batches: stats.batches,
    lastBatchAt:
      stats.lastBatchAt === undefined ? undefined : new Date(stats.lastBatchAt).toISOString(),
    /** How far behind the stream the newest processed record was. */
    lagMs:
      stats.lastBatchAt === undefined || stats.lastArrivalAt === undefined
        ? undefined
        : Math.max(0, stats.lastBatchAt - stats.lastArrivalAt),
    shards: stats.shards.length,
  };
}

/** What a progress line tells a watcher (`make local`'s header). */
export interface Progress {
  readonly records: number;
  readonly perSecond: number;
  readonly lastBatchAt: number | undefined;
  readonly lagMs: number | undefined;
}

/** The progress in one line of the mapping's output, if it is a progress line. */
export function parseProgress(line: string): Progress | undefined {
  if (!line.includes(`"msg":"${PROGRESS}"`)) return undefined;
  try {
    const fields = JSON.parse(line);
    const lastBatchAt = Date.parse(fields.lastBatchAt);
    return {
      records: Number(fields.records),
      perSecond: Number(fields.perSecond),
      lastBatchAt: Number.isNaN(lastBatchAt) ? undefined : lastBatchAt,
      lagMs: typeof fields.lagMs === "number" ? fields.lagMs : undefined,
    };
  } catch {
    return undefined;
  }
}
