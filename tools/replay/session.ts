/**
 * What `make replay`, `make diff`, `make rebuild` and `make redrive` share:
 * find the archive, say what will be read and where it goes, check that the
 * bucket and the table answer (a missing one costs one line, not a
 * half-read archive), read the truth with a progress line a second, and
 * write it into a table or compare a table with it.
 *
 * @module
 */

import { DescribeTableCommand, type DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { KinesisClient } from "@aws-sdk/client-kinesis";
import { HeadBucketCommand, type S3Client } from "@aws-sdk/client-s3";
import { readTable } from "../../aws/table.ts";
import { ARCHIVE_PREFIX, type Window } from "../../core/archive.ts";
import { diffTables } from "../../core/diff.ts";
import { type Tally, truth } from "../../core/tally.ts";
import { explain, type Subject } from "../explain.ts";
import { describeTarget, dynamoFor, kinesisFor, s3For, type Target } from "../target.ts";
import { diffLines, progressLine, readSummary, writeSummary } from "./report.ts";
import { type ReadOptions, readTruth } from "./truth.ts";
import { type Written, writeTruth } from "./write.ts";

/** What the command asked for: a window, and whether the stream counts too. */
export interface ArchiveRequest {
  readonly from?: number | undefined;
  readonly to?: number | undefined;
  readonly stream: boolean;
}

export interface Session {
  readonly bucket: string;
  readonly s3: S3Client;
  readonly dynamo: DynamoDBClient;
  /** Reads the truth, printing progress and then a summary. */
  read(): Promise<Tally & { objects: number }>;
  /** Writes the truth into `table`, one write per truck, and prints what it wrote. */
  write(table: string, tally: Tally): Promise<Written>;
  /** The target's table against the truth, as lines to print. */
  diff(tally: Tally): Promise<string[]>;
  /** One line for an error of reading the archive (or the stream). */
  explainRead(error: unknown): string;
  /** One line for an error of reading or writing the table. */
  explainTable(error: unknown): string;
  close(): void;
}

const iso = (time: number | undefined) =>
  time === undefined ? undefined : new Date(time).toISOString();

/** `arrived 2026-12-01T00:00:00.000Z to 2026-12-01T06:00:00.000Z`, or `everything archived`. */
function windowText({ from, to }: Window): string {
  if (from === undefined && to === undefined) return "everything archived";
  return `arrived ${iso(from) ?? "from the start"} to ${iso(to) ?? "now"}`;
}

/** Reads the truth, a progress line a second, then the summary, each line prefixed by the command. */
async function readPrinting(command: string, options: ReadOptions) {
  const started = performance.now();
  let printed = started;
  const tally = await readTruth({
    ...options,
    progress: (p) => {
      const now = performance.now();
      if (now - printed < 1_000 && p.objects < p.objectsTotal) return;
      printed = now;
      console.log(`${command}: ${progressLine(p, now - started)}`);
    },
  });
  for (const line of readSummary(tally, performance.now() - started)) {
    console.log(`${command}: ${line}`);
  }
  return tally;
}

/** One call each to the bucket and the table; the first failure explained, or `undefined`. */
async function firstProblem(checks: readonly [() => Promise<unknown>, Subject][]) {
  for (const [check, subject] of checks) {
    try {
      await check();
    } catch (error) {
      return explain(error, subject);
    }
  }
  return undefined;
}

/**
 * Opens the archive for `command`: prints what it will do (`verb`: "into",
 * "against", …), checks the bucket and the table, and hands back the clients
 * and the read. `undefined` (after one line on stderr) when that fails.
 */
export async function openArchive(
  command: string,
  request: ArchiveRequest,
  target: Target,
  verb: string,
): Promise<Session | undefined> {
  const bucket = target.archiveBucket;
  if (bucket === undefined) {
    console.error(
      `${command}: no archive known: start \`make local\`, or \`make deploy\` (then \`make outputs\`), ` +
        "or pass --bucket (ARCHIVE_BUCKET)",
    );
    return undefined;
  }
  const [s3, dynamo] = [s3For(target), dynamoFor(target)];
  const kinesis: KinesisClient | undefined = request.stream ? kinesisFor(target) : undefined;
  const close = () => {
    for (const client of [s3, dynamo, kinesis]) client?.destroy();
  };
  const window = { from: request.from, to: request.to };
  const stream = kinesis === undefined ? "" : ` and the records still in ${target.stream}`;
  console.log(
    `${command}: s3://${bucket}/${ARCHIVE_PREFIX} ${describeTarget(target, "s3")}, ${windowText(window)}${stream}, ` +
      `${verb} table ${target.table} ${describeTarget(target, "dynamodb")}`,
  );
  const ofBucket = { kind: "bucket", name: bucket, flag: "--bucket", target } as const;
  const ofTable = { kind: "table", name: target.table, flag: "--table", target } as const;
  const problem = await firstProblem([
    [() => s3.send(new HeadBucketCommand({ Bucket: bucket })), ofBucket],
    [() => dynamo.send(new DescribeTableCommand({ TableName: target.table })), ofTable],
  ]);
  if (problem !== undefined) {
    console.error(`${command}: ${problem}`);
    close();
    return undefined;
  }
  const streamToo = kinesis === undefined ? undefined : { kinesis, name: target.stream };
  return {
    bucket,
    s3,
    dynamo,
    read: () => readPrinting(command, { s3, bucket, window, stream: streamToo }),
    write: async (table, tally) => {
      const started = performance.now();
      const written = await writeTruth(dynamo, table, tally.rows.values());
      console.log(`${command}: ${writeSummary(written, table, performance.now() - started)}`);
      return written;
    },
    diff: async (tally) => {
      const table = await readTable(dynamo, target.table);
      return diffLines(diffTables(table, truth(tally)), target.table, "the archive");
    },
    explainRead: (error) => explain(error, ofBucket),
    explainTable: (error) => explain(error, ofTable),
    close,
  };
}
