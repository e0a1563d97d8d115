/**
 * `make rejects`: the rejects stream, grouped by what is wrong with the
 * records, with counts and a few examples each (their shard and sequence
 * number find them on the event stream and in the archive). A producer that
 * shipped a new event format shows up here as one big reason, in the group
 * whose metric climbed.
 *
 * Exit codes: 0, 1 the stream could not be read, 2 bad command line.
 *
 * @module
 */

import * as v from "valibot";
import { readStream } from "../../aws/stream.ts";
import { integer, name, parseCommandLine } from "../args.ts";
import { runTool } from "../cli.ts";
import { explain } from "../explain.ts";
import { describeTarget, kinesisFor, type Target } from "../target.ts";
import { groupRejects } from "./group.ts";

const USAGE = `usage: make rejects [ARGS="--json --examples N"]
       node --import tsx tools/rejects/main.ts [options]

Reads the rejects stream from its start (it keeps records for its retention,
24 h by default; the archive keeps the raw records for good) and prints the
rejected records grouped by reason, the most frequent first, each with its
group as the function's metrics count it (malformed, unknown-event,
invalid-field, unwritable).

  --examples N           examples per reason (default 3)
  --json                 the groups as JSON, for scripts
  --rejects-stream NAME  the rejects stream (default: the target's)
  --region R             the AWS region
  -h, --help             this text

Target: as make generate's (the local stack, the Terraform outputs, …);
REJECTS_STREAM_NAME overrides the name.`;

const Options = v.object({
  examples: v.optional(integer(0, 999), "3"),
  json: v.optional(v.boolean(), false),
  "rejects-stream": v.optional(name("a stream name")),
  region: v.optional(name("a region")),
  help: v.optional(v.boolean(), false),
});
type RejectsOptions = v.InferOutput<typeof Options>;

async function rejects(options: RejectsOptions, target: Target): Promise<number> {
  const kinesis = kinesisFor(target);
  try {
    const records = await readStream(kinesis, target.rejectsStream);
    const report = groupRejects(
      records.map((r) => r.text),
      options.examples,
    );
    if (options.json) {
      console.log(JSON.stringify(report, null, 2));
      return 0;
    }
    console.log(
      `${report.total} records on ${target.rejectsStream} ${describeTarget(target, "kinesis")}` +
        (report.foreign === 0 ? "" : ` (${report.foreign} not the handler's envelopes)`),
    );
    const counted = Object.entries(report.byGroup)
      .sort(([, a], [, b]) => b - a)
      .map(([group, n]) => `${n} ${group}`);
    if (counted.length > 0)
      console.log(`by group (as the metrics count them): ${counted.join(", ")}`);
    for (const reason of report.reasons) {
      console.log(
        `\n${reason.count} × ${reason.reason}${reason.group === undefined ? "" : ` [${reason.group}]`}`,
      );
      for (const e of reason.examples) {
        console.log(`  ${e.shardId} ${e.sequenceNumber} (arrived ${e.arrived}): ${e.data}`);
      }
    }
    return 0;
  } catch (error) {
    const subject = {
      kind: "stream",
      name: target.rejectsStream,
      flag: "--rejects-stream",
      target,
    } as const;
    console.error(`rejects: ${explain(error, subject)}`);
    return 1;
  } finally {
    kinesis.destroy();
  }
}

process.exitCode = await runTool(
  {
    name: "rejects",
    usage: USAGE,
    parse: (argv) =>
      parseCommandLine(
        argv,
        {
          examples: { type: "string" },
          json: { type: "boolean" },
          "rejects-stream": { type: "string" },
          region: { type: "string" },
          help: { type: "boolean", short: "h" },
        },
        Options,
      ),
    target: (o) => ({ rejectsStream: o["rejects-stream"], region: o.region }),
    run: rejects,
  },
  process.argv.slice(2),
);
