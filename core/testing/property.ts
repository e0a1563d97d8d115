/**
 * Property checks with a printed, replayable seed: every run logs its seed, and
 * `FC_SEED=<seed> FC_PATH=<path>` (printed by fast-check on failure) replays
 * the failing case. `FC_RUNS=<n>` multiplies the number of runs for soak runs.
 *
 * @module
 */

import fc from "fast-check";

const env: Record<string, string | undefined> =
  (globalThis as { process?: { env: Record<string, string | undefined> } }).process?.env ?? {};

const seed =
  env.FC_SEED === undefined ? Date.now() ^ (Math.random() * 0x7fffffff) : Number(env.FC_SEED);
const factor = Math.max(1, Number(env.FC_RUNS ?? 1));
let announced = false;

/** Asserts `property` over `runs` cases (times `FC_RUNS`), with the shared seed. */
export async function check<T>(
  property: fc.IProperty<T> | fc.IAsyncProperty<T>,
  runs: number,
): Promise<void> {
  if (!announced) {
    console.log(`  (fast-check seed ${seed}; replay with FC_SEED=${seed})`);
    announced = true;
  }
  const path = env.FC_PATH;
  await fc.assert(property, { seed, numRuns: runs * factor, ...(path ? { path } : {}) });
}
