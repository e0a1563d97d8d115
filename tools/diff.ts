/**
 * `make diff`: per truck and attribute, what differs between a table and
 * the archive's truth (what a bug broke), or between two tables (what a
 * rebuild changed). The archive lags the stream by its buffer interval, so
 * against the live table `--stream` adds the records still in the stream;
 * without it, trucks moved in the last minutes show as newer in the table.
 *
 * Exit codes: 0 (1 with `--exit-code` when something differs), 1 the
 * archive or a table could not be read, 2 bad command line.
 *
 * @module
 */

import * as v from "valibot";
import { readTable } from "../aws/table.ts";
import { diffTables } from "../core/diff.ts";
import { name, parseCommandLine } from "./args.ts";
import { runTool } from "./cli.ts";
import { explain } from "./explain.ts";
import { ARCHIVE_ENTRIES, ARCHIVE_HELP, ARCHIVE_OPTIONS } from "./replay/options.ts";
import { diffLines } from "./replay/report.ts";
import { openArchive } from "./replay/session.ts";
import { describeTarget, dynamoFor, type Target, targetHelp } from "./target.ts";

const USAGE = `usage: make diff [TABLE=NAME] [AGAINST=NAME] [ARGS="--stream …"]
       node --import tsx tools/diff.ts [options]

Prints, per truck and attribute, what differs between the table and the
archive's truth (the table every archived event makes), or another table.

  --against NAME  compare with this table instead of the archive
${ARCHIVE_HELP}
  --exit-code     exit 1 when something differs
  -h, --help      this text

${targetHelp("dynamodb")}`;

const Options = v.object({
  ...ARCHIVE_ENTRIES,
  against: v.optional(name("a table name")),
  "exit-code": v.optional(v.boolean(), false),
});
type DiffOptions = v.InferOutput<typeof Options>;

/** The table against another table. */
async function againstTable(options: DiffOptions & { against: string }, target: Target) {
  const dynamo = dynamoFor(target);
  const where = describeTarget(target, "dynamodb");
  console.log(`diff: table ${target.table} against table ${options.against} ${where}`);
  try {
    const left = await readTable(dynamo, target.table);
    const right = await readTable(dynamo, options.against);
    return diffLines(diffTables(left, right), target.table, options.against);
  } catch (error) {
    const subject = {
      kind: "table",
      name: `${target.table} or ${options.against}`,
      flag: "--table",
      target,
    } as const;
    console.error(`diff: ${explain(error, subject)}`);
    return undefined;
  } finally {
    dynamo.destroy();
  }
}

/** The table against the archive's truth. */
async function againstArchive(options: DiffOptions, target: Target) {
  const session = await openArchive("diff", options, target, "against");
  if (session === undefined) return undefined;
  try {
    const tally = await session.read().catch((error) => {
      console.error(`diff: ${session.explainRead(error)}`);
      return undefined;
    });
    if (tally === undefined) return undefined;
    return await session.diff(tally).catch((error) => {
      console.error(`diff: ${session.explainTable(error)}`);
      return undefined;
    });
  } finally {
    session.close();
  }
}

async function diff(options: DiffOptions, target: Target): Promise<number> {
  const { against } = options;
  const lines =
    against === undefined
      ? await againstArchive(options, target)
      : await againstTable({ ...options, against }, target);
  if (lines === undefined) return 1;
  for (const line of lines) console.log(line);
  const differs = !lines[0]?.startsWith("no differences");
  return options["exit-code"] && differs ? 1 : 0;
}

process.exitCode = await runTool(
  {
    name: "diff",
    usage: USAGE,
    parse: (argv) =>
      parseCommandLine(
        argv,
        { ...ARCHIVE_OPTIONS, against: { type: "string" }, "exit-code": { type: "boolean" } },
        Options,
      ),
    target: (o) => ({ table: o.table, region: o.region, archiveBucket: o.bucket }),
    run: diff,
  },
  process.argv.slice(2),
);
