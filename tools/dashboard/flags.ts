/**
 * The dashboard's command line, checked before anything starts: a typo gets
 * one line naming the flag, what it expects and what it got, rather than a
 * server quietly running with a wrong setting.
 *
 * @module
 */
import * as v from "valibot";
import { type CommandLine, integer, name, parseCommandLine } from "../args.ts";
import { targetHelp } from "../target.ts";
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

${targetHelp("dynamodb")}`;

const Flags = v.object({
  port: v.optional(integer(0, 65_535), `${DEFAULTS.port}`),
  host: v.optional(name("an address"), DEFAULTS.host),
  "refresh-ms": v.optional(integer(100, 3_600_000), `${DEFAULTS.refreshMs}`),
  "service-interval": v.optional(integer(1, 1_000_000), `${DEFAULTS.serviceInterval}`),
  "max-connections": v.optional(integer(1, 1_000_000), `${DEFAULTS.maxConnections}`),
  table: v.optional(name("a table name")),
  region: v.optional(name("a region")),
  help: v.optional(v.boolean(), false),
});

const OPTIONS = {
  port: { type: "string" },
  host: { type: "string" },
  "refresh-ms": { type: "string" },
  "service-interval": { type: "string" },
  "max-connections": { type: "string" },
  table: { type: "string" },
  region: { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

/** The flags of `argv` (without `node` and the script), or the one line that says what is wrong. */
export function parseFlags(argv: readonly string[]): CommandLine<DashboardFlags> {
  const parsed = parseCommandLine(argv, OPTIONS, Flags);
  if (!parsed.ok) return parsed;
  const { "refresh-ms": refreshMs, "service-interval": serviceInterval, ...rest } = parsed.values;
  const { "max-connections": maxConnections, ...flags } = rest;
  return { ok: true, values: { ...flags, refreshMs, serviceInterval, maxConnections } };
}
