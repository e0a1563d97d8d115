/**
 * Per-shard checkpoints on disk (`.local/checkpoints/<stream>.json`), so that
 * a restarted mapping resumes where the last one stopped: nothing lost, and
 * at most the batches in flight at a crash read twice (harmless: every write
 * is conditional and idempotent).
 *
 * A checkpoint only means something for the stream it was taken on, so the
 * file records the stream's creation time: a stream re-created since (a new
 * `make local`, an emulator restart) has unrelated sequence numbers, and its
 * old checkpoints are discarded rather than trusted. Reading from the start
 * again is always safe; skipping never is.
 *
 * @module
 */

import { setTimeout as sleep } from "node:timers/promises";
import type { KinesisClient } from "@aws-sdk/client-kinesis";
import { readTextIfExists, writeJsonAtomic } from "../files.ts";
import { lastSequenceNumbers, tailStream } from "../stream.ts";

/** Which stream the checkpoints belong to. */
export interface StreamIdentity {
  readonly stream: string;
  /** `StreamCreationTimestamp`, ISO-8601. */
  readonly created: string;
}

/** A shard's position: the last fully processed record (none: from the start). */
export interface ShardCheckpoint {
  readonly sequenceNumber?: string | undefined;
}

export type Checkpoints = Readonly<Record<string, ShardCheckpoint>>;

interface FileContents extends StreamIdentity {
  readonly version: 1;
  readonly shards: Checkpoints;
}

/** The path of a stream's checkpoint file under the state directory. */
export function checkpointPath(stateDir: string, stream: string): string {
  return `${stateDir}/checkpoints/${stream}.json`;
}

/**
 * The checkpoints of `identity`'s stream in `text` (a file's contents), or
 * none with the reason they were discarded.
 */
export function parseCheckpoints(
  text: string,
  identity: StreamIdentity,
): { shards: Checkpoints; discarded?: string } {
  let contents: Partial<FileContents>;
  try {
    contents = JSON.parse(text);
  } catch {
    return { shards: {}, discarded: "unreadable checkpoint file" };
  }
  if (contents.version !== 1 || typeof contents.shards !== "object" || contents.shards === null) {
    return { shards: {}, discarded: "unknown checkpoint file format" };
  }
  if (contents.stream !== identity.stream || contents.created !== identity.created) {
    const was = `${contents.stream} created ${contents.created}`;
    return { shards: {}, discarded: `checkpoints are for another stream (${was})` };
  }
  return { shards: contents.shards };
}

/** Reads the checkpoints; a missing file means "from the start". */
export async function loadCheckpoints(
  path: string,
  identity: StreamIdentity,
): Promise<{ shards: Checkpoints; discarded?: string }> {
  const text = await readTextIfExists(path);
  return text === undefined ? { shards: {} } : parseCheckpoints(text, identity);
}

/**
 * A saver for the file: each `save` writes a temporary file and renames it
 * over the old one (a crash leaves the old or the new file, never half of
 * one). Saves are serialised; calls made while one runs are coalesced into a
 * single following write of the latest state, so a busy shard costs at most
 * one write in flight plus one queued.
 */
export function checkpointSaver(path: string, identity: StreamIdentity) {
  let running: Promise<void> | undefined;
  let queued: { shards: Checkpoints; done: Promise<void> } | undefined;
  const write = async (shards: Checkpoints) => {
    const contents: FileContents = { version: 1, ...identity, shards };
    await writeJsonAtomic(path, contents, 2);
  };
  const save = (shards: Checkpoints): Promise<void> => {
    if (running === undefined) {
      running = write(shards).finally(() => {
        running = undefined;
      });
      return running;
    }
    if (queued !== undefined) {
      queued = { shards, done: queued.done };
      return queued.done;
    }
    const done = running
      .catch(() => {})
      .then(() => {
        const latest = queued?.shards ?? shards;
        queued = undefined;
        return save(latest);
      });
    queued = { shards, done };
    return done;
  };
  return { save };
}

/** Each shard's saved position in `stateDir`, as the file says (none when there is no file). */
export async function savedPositions(
  stateDir: string,
  stream: string,
): Promise<Record<string, string | undefined>> {
  const text = await readTextIfExists(checkpointPath(stateDir, stream));
  const shards = text === undefined ? {} : (JSON.parse(text).shards as Checkpoints);
  return Object.fromEntries(Object.entries(shards).map(([id, c]) => [id, c.sequenceNumber]));
}

/** Whether each shard's last record (`last`) is where its saved checkpoint is. */
const allSaved = (last: Record<string, string>, saved: Record<string, string | undefined>) =>
  Object.entries(last).every(([shard, sequenceNumber]) => saved[shard] === sequenceNumber);

/** Whether every record on `stream` is behind a saved checkpoint, with what was compared. */
export async function caughtUp(kinesis: KinesisClient, stream: string, stateDir: string) {
  const [last, saved] = await Promise.all([
    lastSequenceNumbers(kinesis, stream),
    savedPositions(stateDir, stream),
  ]);
  return { done: allSaved(last, saved), last, saved };
}

/**
 * Waits until {@link caughtUp}: the mapping has read everything, judged from
 * the stream itself and the checkpoint file, not from its logs. The stream is
 * followed with one tail, each poll reading only what arrived since the last.
 * Throws after `timeoutMs`, with both.
 */
export async function untilCaughtUp(
  kinesis: KinesisClient,
  stream: string,
  stateDir: string,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const tail = await tailStream(kinesis, stream);
  const last: Record<string, string> = {};
  for (;;) {
    for (const { shardId, sequenceNumber } of await tail.next()) last[shardId] = sequenceNumber;
    const saved = await savedPositions(stateDir, stream);
    if (allSaved(last, saved)) return;
    if (Date.now() > deadline) {
      const state = JSON.stringify({ saved, last });
      throw new Error(`the mapping did not catch up within ${timeoutMs} ms: ${state}`);
    }
    await sleep(50);
  }
}
