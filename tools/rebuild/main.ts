/**
 * `make rebuild`: a fresh truck table computed from the archive while the
 * pipeline keeps running, then the function and the readers switched to it,
 * with no pause and no event lost. The order makes it exact:
 *
 * 1. a new table, and the function switched to it first: from then on every
 *    new invocation writes the new table;
 * 2. then the backfill: every archived record and every record still in
 *    the stream, reduced to one row per truck, written conditionally into
 *    the new table. The archive lags the stream by its buffer, and an
 *    invocation that started before the switch may still write the old
 *    table for a moment, but all those records are in the stream when the
 *    backfill reads it, after the switch took effect.
 *
 * So every event ever put reaches the new table by the function or by the
 * backfill (or both), in any interleaving, and since the table is a pure
 * function of the set of events (every write is a conditional join), the
 * new table is exactly `reduce(all events)`. The old table is never written
 * or deleted here; `make drop-table` drops it. The rebuild ends with the
 * diff of the old table against the new one: what the rebuild corrected.
 *
 * Exit codes: 0 done, 1 something could not be done (the message says how
 * to go on), 2 bad command line.
 *
 * @module
 */

import { LambdaClient } from "@aws-sdk/client-lambda";
import * as v from "valibot";
import { readTextIfExists } from "../../aws/files.ts";
import { NAMES } from "../../aws/names.ts";
import { readTable } from "../../aws/table.ts";
import { byDirection, diffTables } from "../../core/diff.ts";
import { integer, name, parseCommandLine } from "../args.ts";
import { runTool } from "../cli.ts";
import { diffLines } from "../replay/report.ts";
import { openArchive } from "../replay/session.ts";
import { dynamoFor, localSources, localStateDir, type Target } from "../target.ts";
import { activateGeneration, deploy, untilFunctionWrites } from "./aws.ts";
import { baseOf, generationOf, parseGenerations, tableOf } from "./generation.ts";
import { switchLocal } from "./local.ts";

const USAGE = `usage: make rebuild [ARGS="…"]
       node --import tsx tools/rebuild/main.ts [options]

Rebuilds the truck table from the archive while the pipeline keeps running:
a new table, the function and the readers switched to it, then every
archived event and every event still in the stream written into it. The old
table stays (make drop-table drops it). Works on a running \`make local\`, or on
the deployment of terraform/outputs.json (then \`make deploy\` runs in between).

  --state-dir DIR       the local stack's state directory ($LOCAL_STATE_DIR, else .local)
  --tables-file FILE    the deployment's tables file (set by make)
  --settle-seconds N    AWS: wait after the function's update before the
                        backfill reads the stream (60)
  --continue            AWS: the switch was applied already (make deploy ran):
                        wait for it, then backfill
  -h, --help            this text`;

const Options = v.object({
  "state-dir": v.optional(name("a directory")),
  "tables-file": v.optional(name("a file")),
  "settle-seconds": v.optional(integer(0, 9999), "60"),
  continue: v.optional(v.boolean(), false),
  help: v.optional(v.boolean(), false),
});
type RebuildOptions = v.InferOutput<typeof Options>;

const say = (line: string) => console.log(`rebuild: ${line}`);

/** Local: the new table, named after now, and the switch of the running stack. */
async function switchLocalStack(options: RebuildOptions, target: Target): Promise<string> {
  const table = tableOf(NAMES.table, generationOf(new Date()));
  const dynamo = dynamoFor(target);
  try {
    await switchLocal(dynamo, localStateDir(options["state-dir"]), table, say);
  } finally {
    dynamo.destroy();
  }
  return table;
}

/** AWS: a new generation in the tables file, `make deploy`, and the wait until Lambda uses it. */
async function switchDeployment(options: RebuildOptions, target: Target): Promise<string> {
  const path = options["tables-file"];
  if (path === undefined) throw new Error("no --tables-file: run it as `make rebuild`");
  const before = parseGenerations(await readTextIfExists(path), path);
  const base = baseOf(target.table, before.active_table_generation);
  if (!options.continue) {
    const generation = generationOf(new Date());
    await activateGeneration(path, generation);
    say(`${path}: generation ${generation} added and active; make deploy applies it`);
    const code = await deploy();
    if (code !== 0) {
      throw new Error(
        `make deploy failed (exit ${code}): fix it, run make deploy, then make rebuild ARGS=--continue`,
      );
    }
  }
  const after = parseGenerations(await readTextIfExists(path), path);
  const table = tableOf(base, after.active_table_generation);
  const lambda = new LambdaClient({ region: target.region });
  try {
    say(
      `waiting until ${target.functionName} writes ${table}, then ${options["settle-seconds"]} s more`,
    );
    await untilFunctionWrites(lambda, target.functionName, table, {
      settleMs: options["settle-seconds"] * 1000,
    });
  } finally {
    lambda.destroy();
  }
  return table;
}

/** Every archived event and every event in the stream into `table`; then the old table against it. */
async function backfill(target: Target, table: string): Promise<number> {
  const session = await openArchive("rebuild", { stream: true }, { ...target, table }, "into new");
  if (session === undefined) return 1;
  try {
    const tally = await session.read();
    const written = await session.write(table, tally);
    if (written.failed.length > 0) {
      console.error(
        `rebuild: ${written.failed.length} trucks not written: run make replay TABLE=${table}`,
      );
      return 1;
    }
    const old = await readTable(session.dynamo, target.table);
    const rebuilt = await readTable(session.dynamo, table);
    const { advanced, corrected } = byDirection(diffTables(old, rebuilt));
    say("what the rebuild corrected (values the old table holds ahead of the events, or apart):");
    for (const line of diffLines(corrected, target.table, table)) say(line);
    say(`and ${advanced.length} values moved on in ${table} since the switch (new events)`);
    say(
      `done: ${table} is the active table; ${target.table} is kept (make drop-table TABLE=${target.table})`,
    );
    return 0;
  } finally {
    session.close();
  }
}

async function rebuild(options: RebuildOptions, target: Target): Promise<number> {
  if (target.source !== "local" && target.source !== "terraform") {
    console.error(
      "rebuild: no pipeline to rebuild: start `make local`, or deploy with `make deploy`",
    );
    return 1;
  }
  try {
    say(
      `the active table is ${target.table} (${target.source === "local" ? "local stack" : "AWS"})`,
    );
    const table =
      target.source === "local"
        ? await switchLocalStack(options, target)
        : await switchDeployment(options, target);
    return await backfill(target, table);
  } catch (error) {
    console.error(`rebuild: ${(error as Error).message}`);
    return 1;
  }
}

process.exitCode = await runTool(
  {
    name: "rebuild",
    usage: USAGE,
    parse: (argv) =>
      parseCommandLine(
        argv,
        {
          "state-dir": { type: "string" },
          "tables-file": { type: "string" },
          "settle-seconds": { type: "string" },
          continue: { type: "boolean" },
          help: { type: "boolean", short: "h" },
        },
        Options,
      ),
    target: () => ({}),
    sources: (o) => localSources(o["state-dir"]),
    run: rebuild,
  },
  process.argv.slice(2),
);
