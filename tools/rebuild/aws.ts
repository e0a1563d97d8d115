/**
 * A switch of tables on AWS: the new generation added and made active in
 * the deployment's tables file, `make deploy` (Terraform creates the table,
 * points the function at it, keeps the old one: deletion protection is on
 * and no generation is ever removed here), then a wait until Lambda runs
 * the new configuration, and a margin for invocations that started before.
 * `make deploy` also rewrites the outputs the tools read, so `make status`
 * and `make dashboard` follow.
 *
 * @module
 */

import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdir, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { GetFunctionConfigurationCommand, type LambdaClient } from "@aws-sdk/client-lambda";
import { readTextIfExists } from "../../aws/files.ts";
import { type Generations, parseGenerations, withActive } from "./generation.ts";

/** Writes the tables file Terraform reads (`-var-file`). */
export async function writeGenerations(path: string, generations: Generations): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, `${JSON.stringify(generations, null, 2)}\n`);
}

/** Adds `generation` to the tables file and makes it active. */
export async function activateGeneration(path: string, generation: string): Promise<void> {
  const generations = parseGenerations(await readTextIfExists(path), path);
  await writeGenerations(path, withActive(generations, generation));
}

/** Runs `make deploy` in this terminal (Terraform asks for "yes"); resolves with its exit code. */
export async function deploy(): Promise<number> {
  const make = spawn("make", ["deploy"], { stdio: "inherit" });
  const [code] = (await once(make, "exit")) as [number | null];
  return code ?? 1;
}

/**
 * Waits until the function's configuration is updated and names `table`,
 * then `settleMs` more: Lambda may still start an invocation with the old
 * configuration for a moment, and a record it writes to the old table must
 * arrive in the stream before the backfill reads it.
 */
export async function untilFunctionWrites(
  lambda: LambdaClient,
  functionName: string,
  table: string,
  { timeoutMs = 300_000, settleMs = 60_000 } = {},
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const config = await lambda.send(
      new GetFunctionConfigurationCommand({ FunctionName: functionName }),
    );
    const writes = config.Environment?.Variables?.TABLE_NAME;
    if (config.LastUpdateStatus === "Successful" && writes === table) break;
    if (Date.now() > deadline) {
      throw new Error(
        `${functionName} still writes ${writes} (update ${config.LastUpdateStatus}) after ${timeoutMs} ms`,
      );
    }
    await sleep(2_000);
  }
  await sleep(settleMs);
}
