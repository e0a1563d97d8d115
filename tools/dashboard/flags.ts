/**
 * The dashboard's command line, checked before anything starts: a typo gets
 * one line naming the flag, what it expects and what it got, rather than a
 * server quietly running with a wrong setting.
 *
 * @module
 */
import { parseArgs } from "node:util";
import * as v from "valibot";
import { DEFAULTS } from "./server.ts";

export type DashboardFlags = {
  port: number;
  host: string;
  refreshMs: number;
  serviceInterval: number;
  maxConnections: number;
  table?: string;
  region?: string;
  help: boolean;
};

export const USAGE = `Usage: node --import tsx tools/dashboard/main.ts [options]
       make dashboard [ARGS="options"]

Serves a live view of the truck table to any number of browsers, reading the
table (dynamodb:Scan) at most once per refresh interval however many watch.

Options:
  --port N                TCP port (default ${DEFAULTS.port}); 0 picks a free one
  --host ADDRESS          interface to listen on (default ${DEFAULTS.host}, this machine
                          only); 0.0.0.0 serves everyone who can reach it, unauthenticated
  --refresh-ms N          least time between two table reads (default ${DEFAULTS.refreshMs})
  --service-interval N    miles between oil changes; trucks past it are due (default ${DEFAULTS.serviceInterval})
  --max-connections N     connections served at once, more get 503 (default ${DEFAULTS.maxConnections});
                          keep it below the open-files limit (ulimit -n)
  --table NAME            the table (default: see "Target" below)
  --region REGION         the AWS region (default: see "Target" below)
  -h, --help              this text

Target: AWS_ENDPOINT_URL_DYNAMODB / AWS_PROFILE if set, else the running
\`make local\` stack, else the Terraform outputs, else oops-trucks in us-east-1.
TABLE_NAME and AWS_REGION override the names.`;

const got =
  (expected: string) =>
  (issue: { input: unknown }): string =>
    `expected ${expected}, got ${JSON.stringify(issue.input)}`;

const integer = (min: number, max: number, fallback: number) => {
  const expected = `an integer in ${min}..${max}`;
  return v.optional(
    v.pipe(
      v.string(),
      v.regex(/^\d+$/, got(expected)),
      v.transform(Number),
      v.minValue(min, got(expected)),
      v.maxValue(max, got(expected)),
    ),
    `${fallback}`,
  );
};

const name = (expected: string) => v.optional(v.pipe(v.string(), v.nonEmpty(got(expected))));

const Flags = v.object({
  port: integer(0, 65_535, DEFAULTS.port),
  host: v.optional(v.pipe(v.string(), v.nonEmpty(got("an address"))), DEFAULTS.host),
  "refresh-ms": integer(100, 3_600_000, DEFAULTS.refreshMs),
  "service-interval": integer(1, 1_000_000, DEFAULTS.serviceInterval),
  "max-connections": integer(1, 1_000_000, DEFAULTS.maxConnections),
  table: name("a table name"),
  region: name("a region"),
  help: v.optional(v.boolean(), false),
});

/** The flags of `argv` (without `node` and the script), or the one line that says what is wrong. */
export function parseFlags(
  argv: readonly string[],
): { ok: true; flags: DashboardFlags } | { ok: false; error: string } {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      options: {
        port: { type: "string" },
        host: { type: "string" },
        "refresh-ms": { type: "string" },
        "service-interval": { type: "string" },
        "max-connections": { type: "string" },
        table: { type: "string" },
        region: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    }));
  } catch (err) {
    const option = /'(-[^' ]+)/.exec((err as Error).message)?.[1] ?? "";
    const code = (err as { code?: string }).code;
    if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION")
      return { ok: false, error: `unknown option ${option}` };
    if (code === "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL") {
      return { ok: false, error: (err as Error).message.split(".")[0] ?? "unexpected argument" };
    }
    return { ok: false, error: `${option}: expected a value` };
  }
  const parsed = v.safeParse(Flags, values);
  if (!parsed.success) {
    const [issue] = parsed.issues;
    return { ok: false, error: `--${issue && v.getDotPath(issue)}: ${issue?.message}` };
  }
  const { "refresh-ms": refreshMs, "service-interval": serviceInterval, ...rest } = parsed.output;
  const { "max-connections": maxConnections, ...flags } = rest;
  return { ok: true, flags: { ...flags, refreshMs, serviceInterval, maxConnections } };
}
