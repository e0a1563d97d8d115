/**
 * A small seeded pseudo-random number generator (mulberry32), so that a
 * generator run can be repeated exactly from its seed: `Math.random` cannot be
 * seeded, and a reproducible stream of events is what makes a failure found
 * with the generator debuggable.
 *
 * @module
 */

/** Draws from one seeded sequence; every method advances it. */
export interface Random {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [min, max], both included. */
  int(min: number, max: number): number;
  /** One element of a non-empty array. */
  pick<T>(items: readonly T[]): T;
}

/** The largest seed; seeds are unsigned 32-bit integers. */
export const MAX_SEED = 0xffff_ffff;

/** A generator seeded with `seed` (an integer in 0..{@link MAX_SEED}). */
export function createRandom(seed: number): Random {
  if (!Number.isInteger(seed) || seed < 0 || seed > MAX_SEED) {
    throw new RangeError(`seed: expected an integer in 0..${MAX_SEED}, got ${seed}`);
  }
  let state = seed;
  const next = () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  return {
    next,
    int,
    pick: <T>(items: readonly T[]): T => {
      if (items.length === 0) throw new RangeError("pick: expected a non-empty array");
      return items[int(0, items.length - 1)] as T;
    },
  };
}
