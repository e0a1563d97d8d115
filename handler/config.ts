/**
 * The handler's configuration, from environment variables, validated once per
 * container: a bad value fails the cold start with a message naming the
 * variable, instead of failing every batch in some stranger way later.
 *
 * @module
 */

import * as v from "valibot";

/** What the handler needs to know about its environment. */
export interface Config {
  /** `TABLE_NAME`: the truck table. */
  readonly tableName: string;
  /** `REJECTS_STREAM_NAME`: where undecodable records go; without it they are logged. */
  readonly rejectsStreamName: string | undefined;
  /** `MAX_CONCURRENT_WRITES`: trucks written at once per invocation. */
  readonly maxConcurrentWrites: number;
  /** `SDK_MAX_ATTEMPTS`: attempts per AWS request, including the SDK's retries. */
  readonly sdkMaxAttempts: number;
  /** `FLOOR_MAX_TRUCKS`: trucks whose stored values a container remembers (`floor.ts`); 0 turns it off. */
  readonly floorMaxTrucks: number;
  /** `FLOOR_TTL_SECONDS`: how long a container trusts what it learned of a truck. */
  readonly floorTtlSeconds: number;
}

const integer = (min: number, max: number, fallback: number) => {
  const expected = `expected an integer in ${min}..${max}`;
  return v.optional(
    v.pipe(
      v.string(),
      v.regex(/^\d+$/, expected),
      v.transform(Number),
      v.minValue(min, expected),
      v.maxValue(max, expected),
    ),
    String(fallback),
  );
};

const required = "expected a non-empty string";

/** The object's own message is the one valibot gives a missing required variable. */
const Environment = v.object(
  {
    TABLE_NAME: v.pipe(v.string(required), v.nonEmpty(required)),
    REJECTS_STREAM_NAME: v.optional(v.string()),
    MAX_CONCURRENT_WRITES: integer(1, 100, 16),
    SDK_MAX_ATTEMPTS: integer(1, 10, 3),
    FLOOR_MAX_TRUCKS: integer(0, 100_000, 10_000),
    FLOOR_TTL_SECONDS: integer(1, 86_400, 600),
  },
  required,
);

/** Optional variables set to `""` count as unset: Terraform writes `""` for "none". */
function withoutEmptyOptionals(env: Readonly<Record<string, string | undefined>>) {
  return Object.fromEntries(
    Object.entries(env).filter(([name, value]) => value !== "" || name === "TABLE_NAME"),
  );
}

/**
 * Reads and checks the configuration; throws an `Error` naming every bad
 * variable, e.g. `invalid configuration: MAX_CONCURRENT_WRITES: expected an
 * integer in 1..100, got 0`.
 */
export function parseConfig(env: Readonly<Record<string, string | undefined>>): Config {
  const result = v.safeParse(Environment, withoutEmptyOptionals(env));
  if (!result.success) {
    const problems = result.issues.map(
      (issue) =>
        `${v.getDotPath(issue)}: ${issue.message}, got ${JSON.stringify(issue.input) ?? "nothing"}`,
    );
    throw new Error(`invalid configuration: ${problems.join("; ")}`);
  }
  const { output } = result;
  return {
    tableName: output.TABLE_NAME,
    rejectsStreamName: output.REJECTS_STREAM_NAME,
    maxConcurrentWrites: output.MAX_CONCURRENT_WRITES,
    sdkMaxAttempts: output.SDK_MAX_ATTEMPTS,
    floorMaxTrucks: output.FLOOR_MAX_TRUCKS,
    floorTtlSeconds: output.FLOOR_TTL_SECONDS,
  };
}
