/**
 * Dead letters: the batches the event source mapping gave up on, as its
 * on-failure destination holds them (Lambda's on-failure record for
 * Kinesis: shard, sequence numbers, and when the first and last records
 * arrived). On AWS they are messages of the SQS DLQ; locally, lines of the
 * mapping's failed-batch file. Taken for a redrive, then removed once the
 * redrive is done, or given back when it failed.
 *
 * @module
 */

import { appendFile, readFile, rename, rm } from "node:fs/promises";
import {
  DeleteMessageBatchCommand,
  ReceiveMessageCommand,
  type SQSClient,
} from "@aws-sdk/client-sqs";
import * as v from "valibot";

/** One batch given up on. */
export interface Letter {
  readonly shardId: string;
  readonly startSequenceNumber: string;
  readonly endSequenceNumber: string;
  /** Epoch ms. */
  readonly firstArrival: number;
  readonly lastArrival: number;
}

const OnFailureRecord = v.object({
  KinesisBatchInfo: v.object({
    shardId: v.string(),
    startSequenceNumber: v.string(),
    endSequenceNumber: v.string(),
    approximateArrivalOfFirstRecord: v.pipe(v.string(), v.isoTimestamp()),
    approximateArrivalOfLastRecord: v.pipe(v.string(), v.isoTimestamp()),
  }),
});

/** A letter from an on-failure record's JSON; throws, naming what is missing, on anything else. */
export function parseLetter(text: string): Letter {
  const parsed = v.safeParse(OnFailureRecord, JSON.parse(text));
  if (!parsed.success) {
    const issue = parsed.issues[0];
    throw new Error(
      `not an on-failure record: ${v.getDotPath(issue as never) ?? "record"}: ${issue?.message}`,
    );
  }
  const info = parsed.output.KinesisBatchInfo;
  return {
    shardId: info.shardId,
    startSequenceNumber: info.startSequenceNumber,
    endSequenceNumber: info.endSequenceNumber,
    firstArrival: Date.parse(info.approximateArrivalOfFirstRecord),
    lastArrival: Date.parse(info.approximateArrivalOfLastRecord),
  };
}

/** Letters taken from a destination: remove them after a redrive, or give them back. */
export interface Taken {
  readonly letters: readonly Letter[];
  remove(): Promise<void>;
  giveBack(): Promise<void>;
}

/**
 * The local failed-batch file's letters. The file is moved aside first, so
 * that batches the mapping gives up on meanwhile start a new file and are
 * neither lost nor redriven before they are read.
 */
export async function takeLocal(path: string): Promise<Taken> {
  const aside = `${path}.redrive-${process.pid}`;
  try {
    await rename(path, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    return { letters: [], remove: async () => {}, giveBack: async () => {} };
  }
  const text = await readFile(aside, "utf8");
  const letters = text
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map(parseLetter);
  return {
    letters,
    remove: () => rm(aside, { force: true }),
    giveBack: async () => {
      await appendFile(path, text);
      await rm(aside, { force: true });
    },
  };
}

/**
 * Every message of the SQS DLQ, hidden from other readers for `hideSeconds`
 * (longer than the redrive: a message redriven is deleted, one not handled
 * comes back by itself once the time is up).
 */
export async function takeQueue(
  sqs: SQSClient,
  queueUrl: string,
  hideSeconds = 900,
): Promise<Taken> {
  const messages: { letter: Letter; receipt: string }[] = [];
  for (;;) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        VisibilityTimeout: hideSeconds,
        WaitTimeSeconds: 1,
      }),
    );
    if (Messages.length === 0) break;
    for (const m of Messages)
      messages.push({ letter: parseLetter(m.Body ?? ""), receipt: m.ReceiptHandle ?? "" });
  }
  return {
    letters: messages.map((m) => m.letter),
    remove: async () => {
      for (let i = 0; i < messages.length; i += 10) {
        const entries = messages
          .slice(i, i + 10)
          .map((m, j) => ({ Id: String(j), ReceiptHandle: m.receipt }));
        const { Failed = [] } = await sqs.send(
          new DeleteMessageBatchCommand({ QueueUrl: queueUrl, Entries: entries }),
        );
        if (Failed.length > 0) {
          throw new Error(
            `${Failed.length} DLQ messages not deleted (${Failed[0]?.Code}): they come back, run it again`,
          );
        }
      }
    },
    giveBack: async () => {},
  };
}

/** The arrival window that covers every letter. */
export function windowOf(letters: readonly Letter[]): { from: number; to: number } {
  return {
    from: Math.min(...letters.map((l) => l.firstArrival)),
    to: Math.max(...letters.map((l) => l.lastArrival)),
  };
}
