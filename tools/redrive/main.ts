/**
 * `make redrive`: after the DLQ alarm, the records of the batches the event
 * source mapping gave up on brought into the live table, and those batches
 * removed from the DLQ. The DLQ holds only where the batches were (shard,
 * sequence numbers, when their records arrived), and the stream forgets
 * them after its retention; the archive keeps them. So the redrive replays
 * the archive over the arrival window of every dead letter (and the records
 * still in the stream) into the live table: always safe, since every write
 * is conditional. Letters are removed only after the replay wrote every
 * truck; otherwise they stay, for a second try.
 *
 * Exit codes: 0 done (or nothing to redrive), 1 not done (the letters are
 * kept), 2 bad command line.
 *
 * @module
 */

import { SQSClient } from "@aws-sdk/client-sqs";
import * as v from "valibot";
import { deadLetterPath } from "../../aws/lambda/mapping.ts";
import { name, parseCommandLine } from "../args.ts";
import { runTool } from "../cli.ts";
import { openArchive } from "../replay/session.ts";
import { localSources, localStateDir, type Target } from "../target.ts";
import { type Taken, takeLocal, takeQueue, windowOf } from "./letters.ts";

const USAGE = `usage: make redrive [ARGS="--state-dir DIR"]
       node --import tsx tools/redrive/main.ts [options]

After the DLQ alarm: replays the archive over the time range of the batches
the event source mapping gave up on (and the records still in the stream)
into the live table, then removes those batches from the DLQ. On a running
\`make local\`, its failed-batch file is the DLQ.

  --state-dir DIR   the local stack's state directory ($LOCAL_STATE_DIR, else .local)
  -h, --help        this text`;

const Options = v.object({
  "state-dir": v.optional(name("a directory")),
  help: v.optional(v.boolean(), false),
});
type RedriveOptions = v.InferOutput<typeof Options>;

const say = (line: string) => console.log(`redrive: ${line}`);

/** The dead letters of the target's mapping: the local file, or the deployment's SQS DLQ. */
async function take(options: RedriveOptions, target: Target): Promise<Taken | string> {
  if (target.source === "local") {
    return takeLocal(deadLetterPath(localStateDir(options["state-dir"]), target.stream));
  }
  if (target.dlqUrl === undefined)
    return "no DLQ known: start `make local`, or `make deploy` (then `make outputs`)";
  const sqs = new SQSClient({ region: target.region });
  try {
    return await takeQueue(sqs, target.dlqUrl);
  } finally {
    sqs.destroy();
  }
}

/** Replays the letters' window into the live table; true when every truck was written. */
async function replayWindow(
  target: Target,
  window: { from: number; to: number },
): Promise<boolean> {
  const session = await openArchive("redrive", { ...window, stream: true }, target, "into");
  if (session === undefined) return false;
  try {
    const tally = await session.read();
    const written = await session.write(target.table, tally);
    return written.failed.length === 0;
  } catch (error) {
    console.error(`redrive: ${session.explainRead(error)}`);
    return false;
  } finally {
    session.close();
  }
}

async function redrive(options: RedriveOptions, target: Target): Promise<number> {
  const taken = await take(options, target);
  if (typeof taken === "string") {
    console.error(`redrive: ${taken}`);
    return 1;
  }
  if (taken.letters.length === 0) {
    say("nothing to redrive: the DLQ is empty");
    return 0;
  }
  const shards = new Set(taken.letters.map((l) => l.shardId)).size;
  say(`${taken.letters.length} batches given up on, in ${shards} shards`);
  if (!(await replayWindow(target, windowOf(taken.letters)))) {
    await taken.giveBack();
    console.error("redrive: not done: the batches stay in the DLQ; run it again");
    return 1;
  }
  await taken.remove();
  say(`done: ${taken.letters.length} batches redriven and removed from the DLQ`);
  return 0;
}

process.exitCode = await runTool(
  {
    name: "redrive",
    usage: USAGE,
    parse: (argv) =>
      parseCommandLine(
        argv,
        { "state-dir": { type: "string" }, help: { type: "boolean", short: "h" } },
        Options,
      ),
    target: () => ({}),
    sources: (o) => localSources(o["state-dir"]),
    run: redrive,
  },
  process.argv.slice(2),
);
