/**
 * Test support for the whole local pipeline: the expected table of a set of
 * generated events (through core's decoder, then the independent oracle),
 * a bounded wait for the table to converge with a useful diff on timeout,
 * and "the mapping has read everything" judged from the stream itself and
 * the mapping's checkpoint file, not from its logs.
 *
 * @module
 */

import { readFile } from "node:fs/promises";
import { setTimeout as sleep } from "node:timers/promises";
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { KinesisClient } from "@aws-sdk/client-kinesis";
import * as assert from "uvu/assert";
import { checkpointPath } from "../../aws/lambda/checkpoints.ts";
import { lastSequenceNumbers } from "../../aws/stream.ts";
import { readTable } from "../../aws/table.ts";
import type { Item } from "../../core/mod.ts";

/**
 * Polls the table until it equals `expected`; on timeout fails with uvu's
 * diff of the last read. `check` sees every intermediate read (e.g. to assert
 * that rows never move backwards).
 */
export async function converge(
  dynamo: DynamoDBClient,
  table: string,
  expected: readonly Item[],
  timeoutMs: number,
  check?: (rows: Item[]) => void,
): Promise<Item[]> {
  const deadline = Date.now() + timeoutMs;
  const target = JSON.stringify(expected);
  for (;;) {
    const rows = await readTable(dynamo, table);
    check?.(rows);
    if (JSON.stringify(rows) === target) return rows;
    if (Date.now() > deadline) {
      assert.equal(rows, expected, `table did not converge within ${timeoutMs} ms`);
    }
    await sleep(50);
  }
}

/** The mapping's checkpoints, as saved in `stateDir`. */
export async function savedCheckpoints(
  stateDir: string,
  stream: string,
): Promise<Record<string, string | undefined>> {
  try {
    const { shards } = JSON.parse(await readFile(checkpointPath(stateDir, stream), "utf8"));
    return Object.fromEntries(
      Object.entries(shards as Record<string, { sequenceNumber?: string }>).map(([id, c]) => [
        id,
        c.sequenceNumber,
      ]),
    );
  } catch {
    return {};
  }
}

/** True when every record on the stream is behind a saved checkpoint. */
export async function caughtUp(
  kinesis: KinesisClient,
  stream: string,
  stateDir: string,
): Promise<boolean> {
  const [last, saved] = await Promise.all([
    lastSequenceNumbers(kinesis, stream),
    savedCheckpoints(stateDir, stream),
  ]);
  return Object.entries(last).every(
    ([shardId, sequenceNumber]) => saved[shardId] === sequenceNumber,
  );
}

/** Waits until {@link caughtUp}, or fails after `timeoutMs`. */
export async function untilCaughtUp(
  kinesis: KinesisClient,
  stream: string,
  stateDir: string,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await caughtUp(kinesis, stream, stateDir))) {
    if (Date.now() > deadline) {
      const [last, saved] = await Promise.all([
        lastSequenceNumbers(kinesis, stream),
        savedCheckpoints(stateDir, stream),
      ]);
      assert.equal(saved, last, `the mapping did not catch up within ${timeoutMs} ms`);
    }
    await sleep(100);
  }
}
