/**
 * The generator's command line, parsed and checked before anything runs: a
 * typo gets one line naming the option, what it expects and what it got,
 * rather than a run with a silently wrong setting.
 *
 * @module
 */

import * as v from "valibot";
import { normaliseTimestamp } from "../../core/mod.ts";
import { type CommandLine, decimal, got, integer, name, parseCommandLine } from "../args.ts";
import { targetHelp } from "../target.ts";
import { PARTITION_KEYS } from "./put.ts";
import { MAX_SEED } from "./random.ts";
import { type Direction, START } from "./world.ts";

/** What a generator run does. */
export interface GenerateOptions {
  readonly direction: Direction;
  /** Events to write; unbounded (until Ctrl-C) when omitted. */
  readonly count?: number;
  /** Events per second; 0 means as fast as possible, in batches. */
  readonly rate: number;
  /** Seed of the world; a random one (printed) when omitted. */
  readonly seed?: number;
  readonly start: Date;
  readonly stream?: string;
  readonly region?: string;
  readonly partitionKey: keyof typeof PARTITION_KEYS;
  readonly help: boolean;
}

export const USAGE = `Usage: node --import tsx tools/generate/main.ts [forward|backwards] [options]
       make generate [DIR=backwards] [ARGS="options"]

Writes the OOPS world's events to the Kinesis stream, one every 1/rate seconds,
stepping time forward (default) or backwards from --start.

Options:
  --count N               stop after N events (default: run until Ctrl-C)
  --rate R                events per second (default 1); 0 = as fast as possible,
                          in PutRecords batches of up to 500, with a progress line
  --seed S                seed of the world, 0..${MAX_SEED} (default: random, printed)
  --start ISO             time before the first event (default ${START})
  --stream NAME           the stream (default: see "Target" below)
  --region REGION         the AWS region (default: see "Target" below)
  --partition-key KIND    random (default, as the chapter) or vin
  -h, --help              this text

${targetHelp("kinesis")}`;

const Options = v.object({
  direction: v.optional(
    v.picklist(["forward", "backwards"], got('"forward" or "backwards"')),
    "forward",
  ),
  count: v.optional(integer(1, Number.MAX_SAFE_INTEGER, "an integer >= 1")),
  rate: v.optional(decimal("a number >= 0"), "1"),
  seed: v.optional(integer(0, MAX_SEED)),
  start: v.optional(
    v.pipe(
      v.string(),
      v.check(
        (s) => normaliseTimestamp(s) !== undefined,
        got("an ISO-8601 date-time with Z or an offset, e.g. 2018-01-01T00:00:00Z"),
      ),
      v.transform((s) => new Date(normaliseTimestamp(s) as string)),
    ),
    START,
  ),
  stream: v.optional(name("a stream name")),
  region: v.optional(name("a region")),
  "partition-key": v.optional(
    v.picklist(
      Object.keys(PARTITION_KEYS) as (keyof typeof PARTITION_KEYS)[],
      got("random or vin"),
    ),
    "random",
  ),
  help: v.optional(v.boolean(), false),
});

const OPTIONS = {
  count: { type: "string" },
  rate: { type: "string" },
  seed: { type: "string" },
  start: { type: "string" },
  stream: { type: "string" },
  region: { type: "string" },
  "partition-key": { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

/** The options of `argv` (without `node` and the script), or the one line that says what is wrong. */
export function parseOptions(argv: readonly string[]): CommandLine<GenerateOptions> {
  const parsed = parseCommandLine(argv, OPTIONS, Options, "direction");
  if (!parsed.ok) return parsed;
  const { "partition-key": partitionKey, ...rest } = parsed.values;
  return { ok: true, values: { ...rest, partitionKey } };
}
