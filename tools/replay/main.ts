/**
 * `make replay`: the archive's raw events of a time window (and, with
 * `--stream`, those still in the stream) decoded by core, reduced in memory
 * to one row per truck, and written into a table with the handler's own
 * conditional writes: one write per truck for the whole replay. Into the
 * live table this is always safe, and it is how records once rejected by a
 * bug come back after the fix, or how a table catches up after failures.
 * `--dry-run` writes nothing and prints what differs instead.
 *
 * Exit codes: 0 done, 1 the archive or table could not be used (or some
 * trucks were not written: run it again), 2 bad command line.
 *
 * @module
 */

import * as v from "valibot";
import { parseCommandLine } from "../args.ts";
import { runTool } from "../cli.ts";
import { type Target, targetHelp } from "../target.ts";
import { ARCHIVE_ENTRIES, ARCHIVE_HELP, ARCHIVE_OPTIONS } from "./options.ts";
import { openArchive } from "./session.ts";

const USAGE = `usage: make replay [FROM=TIME] [TO=TIME] [TABLE=NAME] [ARGS="--stream --dry-run …"]
       node --import tsx tools/replay/main.ts [options]

Replays the archive of raw events into a table: every archived record of the
window is decoded, the valid ones reduced to one row per truck, and each
truck written once, conditionally (a newer stored value is kept).

${ARCHIVE_HELP}
  --dry-run       write nothing: print what differs between the table and the
                  archive's truth
  -h, --help      this text

${targetHelp("dynamodb")}
The archive: ARCHIVE_BUCKET / --bucket, else the local stack's, else the
Terraform output archive_bucket; AWS_ENDPOINT_URL_S3 for another S3.`;

const Options = v.object({ ...ARCHIVE_ENTRIES, "dry-run": v.optional(v.boolean(), false) });
type ReplayOptions = v.InferOutput<typeof Options>;

async function replay(options: ReplayOptions, target: Target): Promise<number> {
  const dry = options["dry-run"];
  const session = await openArchive("replay", options, target, dry ? "(dry run)" : "into");
  if (session === undefined) return 1;
  let tally: Awaited<ReturnType<typeof session.read>>;
  try {
    tally = await session.read();
  } catch (error) {
    console.error(`replay: ${session.explainRead(error)}`);
    session.close();
    return 1;
  }
  try {
    if (dry) {
      for (const line of await session.diff(tally)) console.log(line);
      return 0;
    }
    const written = await session.write(target.table, tally);
    for (const { vin, error } of written.failed) console.error(`  ${vin}: ${error}`);
    return written.failed.length === 0 ? 0 : 1;
  } catch (error) {
    console.error(`replay: ${session.explainTable(error)}`);
    return 1;
  } finally {
    session.close();
  }
}

process.exitCode = await runTool(
  {
    name: "replay",
    usage: USAGE,
    parse: (argv) =>
      parseCommandLine(argv, { ...ARCHIVE_OPTIONS, "dry-run": { type: "boolean" } }, Options),
    target: (o) => ({ table: o.table, region: o.region, archiveBucket: o.bucket }),
    run: replay,
  },
  process.argv.slice(2),
);
