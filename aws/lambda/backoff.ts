/**
 * How long a shard waits before it tries again: exponential, so that a
 * struggling emulator gets room, and capped, so that a shard never sleeps so
 * long that freshness suffers once the cause is gone. No jitter: one consumer
 * per shard on loopback has no thundering herd to spread, and a deterministic
 * schedule keeps tests exact.
 *
 * @module
 */

/** The schedule's shape. */
export interface Backoff {
  /** Delay before the first retry. */
  readonly baseMs: number;
  /** Longest delay. */
  readonly capMs: number;
}

/** 100 ms, 200 ms, 400 ms … at most 5 s. */
export const DEFAULT_BACKOFF: Backoff = { baseMs: 100, capMs: 5_000 };

/** Delay before retry number `attempt` (1 for the first retry). */
export function backoffMs(attempt: number, { baseMs, capMs }: Backoff = DEFAULT_BACKOFF): number {
  const exponent = Math.max(0, Math.min(attempt - 1, 30));
  return Math.min(capMs, baseMs * 2 ** exponent);
}
