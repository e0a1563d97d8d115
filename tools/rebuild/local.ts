/**
 * A switch of tables on the local stack: the new table in dynalite, the
 * function configured to write it (the mapping starts a new container for
 * the next invocations and says so), then the readers: `make local` moves
 * its view, its dashboard and its stack file (which `make status` and the
 * other tools read) to the new table, and the switch waits for that too.
 *
 * @module
 */

import { setTimeout as sleep } from "node:timers/promises";
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { untilApplied, updateConfiguration } from "../../aws/lambda/configuration.ts";
import { createTable } from "../../aws/resources.ts";
import { readStack } from "../stack.ts";

/** How long the mapping and `make local` may take to follow (they poll every 200 ms). */
const FOLLOW_MS = 30_000;

/** Switches the local stack in `stateDir` to `table`; resolves once writers and readers use it. */
export async function switchLocal(
  dynamo: DynamoDBClient,
  stateDir: string,
  table: string,
  say: (line: string) => void,
): Promise<void> {
  await createTable(dynamo, table);
  say(`created table ${table}`);
  const config = await updateConfiguration(stateDir, table);
  await untilApplied(stateDir, config, FOLLOW_MS);
  say(`the function writes ${table} (configuration version ${config.version})`);
  const stackPath = `${stateDir}/stack.json`;
  const deadline = Date.now() + FOLLOW_MS;
  while ((await readStack(stackPath))?.table !== table) {
    if (Date.now() > deadline) throw new Error(`make local did not switch its readers to ${table}`);
    await sleep(100);
  }
  say(`the readers (view, dashboard, make status) read ${table}`);
}
