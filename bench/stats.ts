/**
 * Summaries of repeated measurements. A figure is never one run: every timing
 * is reported as its median with the spread around it, so that a reader can
 * tell a difference from noise.
 *
 * @module
 */

/** The `p`-th percentile (0..100) of `values`, by the nearest-rank method. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1] as number;
}

/** A set of samples, summarised. */
export interface Spread {
  readonly n: number;
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly p99: number;
}

/** Median, extremes and p99 (nearest rank) of `samples`; throws on an empty set. */
export function spread(samples: readonly number[]): Spread {
  if (samples.length === 0) throw new RangeError("spread: no samples");
  return {
    n: samples.length,
    median: percentile(samples, 50),
    min: Math.min(...samples),
    max: Math.max(...samples),
    p99: percentile(samples, 99),
  };
}

/** `x` with `digits` significant decimals at most, as a number (for JSON). */
export function round(x: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/** `1,234,567` or `12.3`: integers grouped, small numbers with `digits` decimals. */
export function num(x: number, digits = 1): string {
  if (!Number.isFinite(x)) return String(x);
  if (Math.abs(x) >= 100) return Math.round(x).toLocaleString("en");
  return x.toFixed(Math.abs(x) >= 10 ? Math.min(digits, 1) : digits);
}

/** A duration: `12.3 ms`. */
export function ms(x: number): string {
  return `${num(x)} ms`;
}

/** A count, grouped: `12,006`. */
export function int(x: number): string {
  return Math.round(x).toLocaleString("en");
}

/** `median (min–max, n=7)` with the given formatter. */
export function showSpread(s: Spread, format: (x: number) => string = num): string {
  return `${format(s.median)} (${format(s.min)}–${format(s.max)}, n=${s.n})`;
}

/** A ratio as `0.42×` (two significant digits below 0.1: `0.0011×`). */
export function times(ratio: number): string {
  if (ratio !== 0 && Math.abs(ratio) < 0.1) return `${ratio.toPrecision(2)}×`;
  return `${ratio.toFixed(ratio < 10 ? 2 : 1)}×`;
}
