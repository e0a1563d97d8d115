/**
 * Starts the mapping (`mapping_main.ts`) as a child process pointed at a
 * local stack, and resolves once it polls every shard. A process of its own
 * so that a test can SIGKILL it mid-stream and start another.
 *
 * @module
 */

import { NAMES, type Names } from "../../aws/names.ts";
import { type Child, spawnScript } from "./child.ts";
import { READY } from "./progress.ts";

export interface MappingTarget {
  readonly kinesisEndpoint: string;
  readonly dynamodbEndpoint: string;
  /** Checkpoints live under it. */
  readonly stateDir: string;
  readonly region?: string;
  readonly names?: Names;
  /** Handler bundle; `handler/dist/index.mjs` when omitted. */
  readonly bundle?: string;
  readonly pollMs?: number;
  readonly progressMs?: number;
  /** Retries of a failing batch before it is given up on (to the DLQ). */
  readonly maxRetries?: number;
}

/** The mapping's command line for `target`. */
export function mappingArgs(target: MappingTarget): string[] {
  const names = target.names ?? NAMES;
  const args = [
    ["--stream", names.stream],
    ["--rejects-stream", names.rejectsStream],
    ["--table", names.table],
    ["--region", target.region ?? NAMES.region],
    ["--kinesis-endpoint", target.kinesisEndpoint],
    ["--dynamodb-endpoint", target.dynamodbEndpoint],
    ["--state-dir", target.stateDir],
  ];
  if (target.bundle !== undefined) args.push(["--bundle", target.bundle]);
  if (target.pollMs !== undefined) args.push(["--poll-ms", String(target.pollMs)]);
  if (target.progressMs !== undefined) args.push(["--progress-ms", String(target.progressMs)]);
  if (target.maxRetries !== undefined) args.push(["--max-retries", String(target.maxRetries)]);
  return args.flat();
}

/** Spawns the mapping; `ready` resolves once it reads every shard (rejects on exit or timeout). */
export function spawnMapping(
  target: MappingTarget,
  options: { onLine?: (line: string) => void; readyTimeoutMs?: number } = {},
): { child: Child; ready: Promise<void> } {
  const child = spawnScript("mapping", "tools/local/mapping_main.ts", mappingArgs(target), {
    onLine: options.onLine,
  });
  const ready = child
    .waitForLine((line) => line.includes(`"msg":"${READY}"`), options.readyTimeoutMs ?? 15_000)
    .then(() => {});
  return { child, ready };
}

/** Spawns the mapping and waits until it reads every shard; kills it if it never does. */
export async function startMappingProcess(
  target: MappingTarget,
  options: { onLine?: (line: string) => void; readyTimeoutMs?: number } = {},
): Promise<Child> {
  const { child, ready } = spawnMapping(target, options);
  try {
    await ready;
  } catch (err) {
    await child.kill();
    throw err;
  }
  return child;
}
