/**
 * The last minutes of the pipeline in one line, from the function's batch
 * lines (the same lines CloudWatch turns into metrics on AWS): events per
 * second, rejects, writes per event and freshness. `make local` shows it
 * above the live table, `make status` above the table of a local stack.
 *
 * @module
 */

/** What the figures read of a batch line. */
export interface BatchLine {
  /** When the batch ended (its metrics' timestamp), ms since the epoch. */
  readonly at: number;
  readonly records: number;
  readonly rejected: number;
  readonly writeRequests: number;
  /** End of the batch minus the oldest record's arrival; absent for an empty batch. */
  readonly oldestEventAgeMs: number | undefined;
}

const isCount = (value: unknown): value is number =>
  typeof value === "number" && Number.isFinite(value) && value >= 0;

/** The batch line in a line of the function's log, if it is one. */
export function parseBatchLine(line: string): BatchLine | undefined {
  if (!line.includes('"msg":"batch"')) return undefined;
  let fields: Record<string, unknown>;
  try {
    fields = JSON.parse(line);
  } catch {
    return undefined;
  }
  const at = (fields._aws as { Timestamp?: unknown } | undefined)?.Timestamp;
  const { records, rejected, writeRequests, oldestEventAgeMs } = fields;
  if (!isCount(at) || !isCount(records) || !isCount(rejected) || !isCount(writeRequests)) {
    return undefined;
  }
  const age = isCount(oldestEventAgeMs) ? oldestEventAgeMs : undefined;
  return { at, records, rejected, writeRequests, oldestEventAgeMs: age };
}

/** The figures of a window of batches. */
export interface Figures {
  /** The window's length: the one asked for, or less when watching started later. */
  readonly seconds: number;
  readonly batches: number;
  readonly events: number;
  readonly eventsPerSecond: number;
  readonly rejected: number;
  /** Write requests per event; undefined without events. */
  readonly writesPerEvent: number | undefined;
  /** Of each batch's oldest record age: the median and the worst; undefined without batches. */
  readonly freshness: { readonly medianMs: number; readonly maxMs: number } | undefined;
}

export interface Window {
  readonly now: number;
  readonly ms: number;
  /** When watching started (the first line of the log): the window never reaches before it. */
  readonly since: number;
}

/** The figures of the batches that ended in the window `(now - ms, now]`. */
export function figures(lines: readonly BatchLine[], { now, ms, since }: Window): Figures {
  const start = Math.max(now - ms, since);
  const seconds = Math.max(1, (now - start) / 1000);
  const recent = lines.filter((line) => line.at > now - ms && line.at <= now);
  const events = sum(recent.map((line) => line.records));
  const ages = recent.flatMap((line) => line.oldestEventAgeMs ?? []).sort((a, b) => a - b);
  return {
    seconds,
    batches: recent.length,
    events,
    eventsPerSecond: events / seconds,
    rejected: sum(recent.map((line) => line.rejected)),
    writesPerEvent: events === 0 ? undefined : sum(recent.map((l) => l.writeRequests)) / events,
    freshness:
      ages.length === 0
        ? undefined
        : { medianMs: ages[Math.floor((ages.length - 1) / 2)] ?? 0, maxMs: ages.at(-1) ?? 0 },
  };
}

const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);

const duration = (ms: number) =>
  ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;

const period = (seconds: number) =>
  seconds < 90 ? `${Math.round(seconds)} s` : `${Math.round(seconds / 60)} min`;

/** `last 5 min: 12.4 events/s · 3 rejected (0.2 %) · 1.01 writes/event · freshness median 412 ms, max 1.9 s` */
export function renderFigures(f: Figures): string {
  const head = `last ${period(f.seconds)}:`;
  if (f.batches === 0) return `${head} no batches`;
  const share = f.events === 0 ? "" : ` (${((100 * f.rejected) / f.events).toFixed(1)} %)`;
  return [
    `${head} ${f.eventsPerSecond.toFixed(1)} events/s`,
    `${f.rejected} rejected${share}`,
    ...(f.writesPerEvent === undefined ? [] : [`${f.writesPerEvent.toFixed(2)} writes/event`]),
    ...(f.freshness === undefined
      ? []
      : [`freshness median ${duration(f.freshness.medianMs)}, max ${duration(f.freshness.maxMs)}`]),
  ].join(" · ");
}

/** How far back "the last minutes" reach. */
export const WINDOW_MS = 5 * 60_000;

/** Batch lines as they come, the ones older than the window let go. */
export function watchBatches(ms = WINDOW_MS, since = Date.now()) {
  const lines: BatchLine[] = [];
  return {
    see(text: string): void {
      const line = parseBatchLine(text);
      if (line !== undefined) lines.push(line);
    },
    figures(now = Date.now()): Figures {
      while (lines[0] !== undefined && lines[0].at <= now - ms) lines.shift();
      return figures(lines, { now, ms, since });
    },
  };
}

/** When the mapping wrote one of its own log lines (its `at` field). */
function loggedAt(line: string): number | undefined {
  const at = /"at":"([^"]+)"/.exec(line)?.[1];
  const parsed = at === undefined ? Number.NaN : Date.parse(at);
  return Number.isNaN(parsed) ? undefined : parsed;
}

/**
 * The figures of a whole log (the local mapping's), in one pass: the window
 * reaches back to its first dated line at most (a batch line's metrics
 * timestamp, or the mapping's own `at`).
 */
export function figuresOfLog(text: string, now = Date.now(), ms = WINDOW_MS): Figures {
  let first: number | undefined;
  const batches: BatchLine[] = [];
  for (const line of text.split("\n")) {
    const batch = parseBatchLine(line);
    if (batch !== undefined) batches.push(batch);
    first ??= batch?.at ?? loggedAt(line);
  }
  return figures(batches, { now, ms, since: first ?? now });
}
