/**
 * `make status`: the truck table as the chapter's table 11.1 (plus location
 * time and mileage), or as JSON for scripts (`--json`). Reads whichever table
 * the tools' target rule picks.
 *
 * Exit codes: 0 printed, 1 the table could not be read, 2 bad command line.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { argumentError } from "./args.ts";
import { scanTable } from "./dashboard/scan.ts";
import { explain } from "./explain.ts";
import { renderTable, statusRecords } from "./table.ts";
import { describeTarget, dynamoFor, loadTarget, type Target } from "./target.ts";

const USAGE = `Usage: node --import tsx tools/status.ts [--json] [--table NAME] [--region REGION]
       make status [ARGS="--json"]

Prints every truck of the table: position, location time, mileage and miles
since the last oil change ("–" until known).

Options:
  --json            an array of objects with the table's attribute names plus
                    "miles-since-oil-change" (null when unknown), for scripts
  --table NAME      the table (default: see "Target" below)
  --region REGION   the AWS region (default: see "Target" below)
  -h, --help        this text

Target: AWS_ENDPOINT_URL_DYNAMODB / AWS_PROFILE if set, else the running
\`make local\` stack, else the Terraform outputs, else oops-trucks in us-east-1.
TABLE_NAME and AWS_REGION override the names.`;

/** The command line, or the line that says what is wrong with it. */
function parseCommandLine(argv: readonly string[]) {
  try {
    const { values } = parseArgs({
      args: [...argv],
      strict: true,
      options: {
        json: { type: "boolean", default: false },
        table: { type: "string" },
        region: { type: "string" },
        help: { type: "boolean", short: "h", default: false },
      },
    });
    for (const name of ["table", "region"] as const) {
      if (values[name] === "") return { error: `--${name}: expected a name, got ""` };
    }
    return { values };
  } catch (err) {
    return { error: argumentError(err as Error) };
  }
}

async function main(argv: readonly string[]): Promise<number> {
  const { values, error } = parseCommandLine(argv);
  if (values === undefined) {
    console.error(`status: ${error}\nRun with --help for the options.`);
    return 2;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  let target: Target;
  try {
    target = await loadTarget({ table: values.table, region: values.region });
  } catch (err) {
    console.error(`status: ${(err as Error).message}`);
    return 1;
  }
  const client = dynamoFor(target);
  try {
    const items = await scanTable(client, target.table);
    if (values.json) {
      console.log(JSON.stringify(statusRecords(items), null, 2));
    } else {
      console.log(`Table ${target.table} ${describeTarget(target, "dynamodb")}\n`);
      console.log(renderTable(items));
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

process.exitCode = await main(process.argv.slice(2));
