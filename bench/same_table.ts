/**
 * The one check that fails the bench: two truck tables that must be the
 * same (a strategy's and the oracle's, or two strategies') compared item by
 * item, the first difference named in the failure.
 *
 * @module
 */

import { isDeepStrictEqual } from "node:util";
import { MismatchError } from "./section.ts";

/** The first pair of items that differ (both tables sorted by VIN), for the failure message. */
function firstDifference(a: readonly object[], b: readonly object[]): string {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (!isDeepStrictEqual(a[i], b[i])) return `${JSON.stringify(a[i])} vs ${JSON.stringify(b[i])}`;
  }
  return "none";
}

/** Throws a {@link MismatchError}, `what` and the first difference, unless `table` equals `expected`. */
export function assertSameTable(
  what: string,
  table: readonly object[],
  expected: readonly object[],
): void {
  if (!isDeepStrictEqual(table, expected)) {
    throw new MismatchError(`${what}: ${firstDifference(table, expected)}`);
  }
}
