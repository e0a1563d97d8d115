/**
 * `make generate`: writes the OOPS world's events to the Kinesis stream, as
 * the chapter's `generate.py` did (forward, or `backwards` to test that late
 * events change nothing), to whichever stream the tools' target rule picks.
 *
 * Exit codes: 0 done or stopped with Ctrl-C, 1 the stream could not be used,
 * 2 bad command line.
 *
 * @module
 */

import { randomInt } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { DescribeStreamSummaryCommand, type KinesisClient } from "@aws-sdk/client-kinesis";
import type { OopsEvent } from "../../core/mod.ts";
import { MAX_ENTRIES } from "../../handler/put_records.ts";
import { runTool } from "../cli.ts";
import { explain } from "../explain.ts";
import { describeTarget, kinesisFor, type Target } from "../target.ts";
import { doneLine, progressLine, seedLine, wroteLine } from "./lines.ts";
import { type GenerateOptions, parseOptions, USAGE } from "./options.ts";
import { PARTITION_KEYS, type PartitionKey, putEvents } from "./put.ts";
import { MAX_SEED } from "./random.ts";
import { events } from "./world.ts";

/** How often the as-fast-as-possible mode reports progress. */
const PROGRESS_EVERY_MS = 1_000;

/** A run's connection and settings, as the write loops need them. */
interface Run {
  readonly client: KinesisClient;
  readonly stream: string;
  readonly partitionKey: PartitionKey;
  /** Aborted by Ctrl-C: the loops stop between writes. */
  readonly signal: AbortSignal;
  readonly started: number;
}

/** Writes the world's events to the target's stream until `--count` or Ctrl-C. */
async function generate(options: GenerateOptions, target: Target): Promise<number> {
  const seed = options.seed ?? randomInt(0, MAX_SEED + 1);
  console.log(`Writing to stream ${target.stream} ${describeTarget(target, "kinesis")}`);
  console.log(seedLine(seed, options.direction, options.start));

  const interrupt = new AbortController();
  process.once("SIGINT", () => interrupt.abort());
  const client = kinesisFor(target);
  const run: Run = {
    client,
    stream: target.stream,
    partitionKey: PARTITION_KEYS[options.partitionKey],
    signal: interrupt.signal,
    started: performance.now(),
  };
  let written = 0;
  try {
    // Fail before the first event, with the one message that says what to start.
    await client.send(new DescribeStreamSummaryCommand({ StreamName: target.stream }));
    const world = events({ ...options, seed });
    const write = options.rate === 0 ? writeFast : writePaced(options);
    for await (const count of write(run, world)) written = count;
  } catch (err) {
    if (!interrupt.signal.aborted) {
      const subject = { kind: "stream", name: target.stream, flag: "--stream", target } as const;
      console.error(`generate: ${explain(err, subject)}`);
      return 1;
    }
  } finally {
    client.destroy();
  }
  console.log(doneLine(written, performance.now() - run.started, interrupt.signal.aborted));
  return 0;
}

/** Writes yield the running total after each put, so Ctrl-C can report it. */
type Writer = (run: Run, world: Iterable<OopsEvent>) => AsyncGenerator<number>;

/** One event at a time, `rate` a second, a line each (the chapter's way). */
function writePaced(options: GenerateOptions): Writer {
  return async function* (run, world) {
    let written = 0;
    for (const event of world) {
      if (run.signal.aborted) return;
      await putEvents(run.client, run.stream, [event], run);
      yield ++written;
      console.log(wroteLine(event));
      const due = run.started + (written * 1000) / options.rate;
      const wait = due - performance.now();
      if (wait > 0) await sleep(wait, undefined, { signal: run.signal }).catch(() => {});
    }
  };
}

/** As fast as possible: full PutRecords batches, a progress line a second. */
const writeFast: Writer = async function* (run, world) {
  let written = 0;
  let reported = run.started;
  for (const batch of chunks(world, MAX_ENTRIES)) {
    if (run.signal.aborted) return;
    await putEvents(run.client, run.stream, batch, run);
    written += batch.length;
    yield written;
    const now = performance.now();
    if (now - reported >= PROGRESS_EVERY_MS) {
      reported = now;
      console.log(progressLine(written, now - run.started, batch[batch.length - 1] as OopsEvent));
    }
  }
};

/** `items` in arrays of `size` (the last one shorter), drawn lazily. */
function* chunks<T>(items: Iterable<T>, size: number): Generator<T[]> {
  let chunk: T[] = [];
  for (const item of items) {
    chunk.push(item);
    if (chunk.length === size) {
      yield chunk;
      chunk = [];
    }
  }
  if (chunk.length > 0) yield chunk;
}

process.exitCode = await runTool(
  {
    name: "generate",
    usage: USAGE,
    parse: parseOptions,
    target: (options) => ({ stream: options.stream, region: options.region }),
    run: generate,
  },
  process.argv.slice(2),
);
