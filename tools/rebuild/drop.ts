/**
 * `make drop-table TABLE=…`: drops a truck table a rebuild left behind, with
 * its own command, never as a side effect. The active table is refused.
 * Locally the table is deleted. On AWS its generation leaves the tables
 * file, its deletion protection is turned off, and `make deploy` deletes it
 * (Terraform shows the one table it deletes and asks first).
 *
 * Exit codes: 0 dropped, 1 refused or failed, 2 bad command line.
 *
 * @module
 */

import { DeleteTableCommand, UpdateTableCommand } from "@aws-sdk/client-dynamodb";
import * as v from "valibot";
import { readTextIfExists } from "../../aws/files.ts";
import { configurationPath, readConfiguration } from "../../aws/lambda/configuration.ts";
import { name, parseCommandLine } from "../args.ts";
import { runTool } from "../cli.ts";
import { dynamoFor, localSources, localStateDir, type Target } from "../target.ts";
import { deploy, writeGenerations } from "./aws.ts";
import { baseOf, parseGenerations, tableOf, without } from "./generation.ts";

const USAGE = `usage: make drop-table TABLE=NAME
       node --import tsx tools/rebuild/drop.ts --table NAME [options]

Drops a truck table that is no longer the active one (make rebuild keeps the
old table until this command drops it).

  --table NAME          the table to drop (required)
  --state-dir DIR       the local stack's state directory ($LOCAL_STATE_DIR, else .local)
  --tables-file FILE    the deployment's tables file (set by make)
  -h, --help            this text`;

const Options = v.object({
  table: v.optional(name("a table name")),
  "state-dir": v.optional(name("a directory")),
  "tables-file": v.optional(name("a file")),
  help: v.optional(v.boolean(), false),
});
type DropOptions = v.InferOutput<typeof Options>;

/** Local: the table is deleted unless the function writes it. */
async function dropLocal(options: DropOptions, target: Target, table: string): Promise<number> {
  const config = await readConfiguration(configurationPath(localStateDir(options["state-dir"])));
  if ((config?.tableName ?? target.table) === table) {
    console.error(`drop-table: ${table} is the active table: rebuild into another one first`);
    return 1;
  }
  const dynamo = dynamoFor(target);
  try {
    await dynamo.send(new DeleteTableCommand({ TableName: table }));
  } finally {
    dynamo.destroy();
  }
  console.log(`drop-table: dropped ${table}`);
  return 0;
}

/** AWS: the generation out of the tables file, its protection off, then make deploy deletes it. */
async function dropDeployed(options: DropOptions, target: Target, table: string): Promise<number> {
  const path = options["tables-file"];
  if (path === undefined) throw new Error("no --tables-file: run it as `make drop-table`");
  const generations = parseGenerations(await readTextIfExists(path), path);
  const base = baseOf(target.table, generations.active_table_generation);
  const dropped = generations.table_generations.find((g) => tableOf(base, g) === table);
  if (dropped === undefined) throw new Error(`${table} is not one of this deployment's tables`);
  const kept = without(generations, dropped);
  const dynamo = dynamoFor(target);
  try {
    await dynamo.send(
      new UpdateTableCommand({ TableName: table, DeletionProtectionEnabled: false }),
    );
  } finally {
    dynamo.destroy();
  }
  await writeGenerations(path, kept);
  console.log(`drop-table: ${table} unprotected and out of ${path}; make deploy deletes it`);
  return deploy();
}

async function drop(options: DropOptions, target: Target): Promise<number> {
  const table = options.table;
  if (table === undefined) {
    console.error("drop-table: which table? make drop-table TABLE=NAME");
    return 2;
  }
  try {
    if (target.source === "local") return await dropLocal(options, target, table);
    if (target.source === "terraform") return await dropDeployed(options, target, table);
    console.error(
      "drop-table: no pipeline found: start `make local`, or deploy with `make deploy`",
    );
    return 1;
  } catch (error) {
    console.error(`drop-table: ${(error as Error).message}`);
    return 1;
  }
}

process.exitCode = await runTool(
  {
    name: "drop-table",
    usage: USAGE,
    parse: (argv) =>
      parseCommandLine(
        argv,
        {
          table: { type: "string" },
          "state-dir": { type: "string" },
          "tables-file": { type: "string" },
          help: { type: "boolean", short: "h" },
        },
        Options,
      ),
    target: () => ({}),
    sources: (o) => localSources(o["state-dir"]),
    run: drop,
  },
  process.argv.slice(2),
);
