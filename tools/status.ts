/**
 * `make status`: the truck table as the chapter's table 11.1 (plus location
 * time and mileage), or as JSON for scripts (`--json`). Reads whichever table
 * the tools' target rule picks.
 *
 * Exit codes: 0 printed, 1 the table could not be read, 2 bad command line.
 *
 * @module
 */

import { join } from "node:path";
import * as v from "valibot";
import { readTextIfExists } from "../aws/files.ts";
import { readTable } from "../aws/table.ts";
import { name, parseCommandLine } from "./args.ts";
import { runTool } from "./cli.ts";
import { explain } from "./explain.ts";
import { figuresOfLog, renderFigures } from "./figures.ts";
import { describeTarget, dynamoFor, localStateDir, type Target, targetHelp } from "./target.ts";
import { renderTrucks, statusRecords } from "./trucks.ts";

const USAGE = `Usage: node --import tsx tools/status.ts [--json] [--table NAME] [--region REGION]
       make status [ARGS="--json"]

Prints every truck of the table: position, location time, mileage and miles
since the last oil change ("–" until known). For a local stack (make local),
also the function's last 5 minutes, from the batch lines of its mapping's log:
events/s, rejects, writes per event and freshness (on AWS the same figures are
on the CloudWatch dashboard: README, Running it in AWS).

Options:
  --json            an array of objects with the table's attribute names plus
                    "miles-since-oil-change" (null when unknown), for scripts
  --table NAME      the table (default: see "Target" below)
  --region REGION   the AWS region (default: see "Target" below)
  -h, --help        this text

${targetHelp("dynamodb")}`;

const Options = v.object({
  json: v.optional(v.boolean(), false),
  table: v.optional(name("a name")),
  region: v.optional(name("a name")),
  help: v.optional(v.boolean(), false),
});

const OPTIONS = {
  json: { type: "boolean" },
  table: { type: "string" },
  region: { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

/** The local stack's last minutes, from the batch lines in its mapping's log. */
async function localFigures(): Promise<string> {
  const path = join(localStateDir(), "logs", "mapping.log");
  const log = await readTextIfExists(path);
  return log === undefined ? `no ${path} yet` : renderFigures(figuresOfLog(log));
}

/** Prints the target's table once, as text or (`--json`) for scripts. */
async function status(values: v.InferOutput<typeof Options>, target: Target): Promise<number> {
  const client = dynamoFor(target);
  try {
    const items = await readTable(client, target.table, { consistent: false });
    if (values.json) {
      console.log(JSON.stringify(statusRecords(items), null, 2));
    } else {
      console.log(`Table ${target.table} ${describeTarget(target, "dynamodb")}`);
      if (target.source === "local") console.log(`Function: ${await localFigures()}`);
      console.log("");
      console.log(renderTrucks(items));
      if (items.length === 0)
        console.log("\nNo trucks yet: write some events with `make generate`.");
    }
    return 0;
  } catch (err) {
    const subject = { kind: "table", name: target.table, flag: "--table", target } as const;
    console.error(`status: ${explain(err, subject)}`);
    return 1;
  } finally {
    client.destroy();
  }
}

process.exitCode = await runTool(
  {
    name: "status",
    usage: USAGE,
    parse: (argv) => parseCommandLine(argv, OPTIONS, Options),
    target: (values) => ({ table: values.table, region: values.region }),
    run: status,
  },
  process.argv.slice(2),
);
