/**
 * The local function's configuration, as a file: what
 * `UpdateFunctionConfiguration` is on AWS. `make local` writes it, the
 * mapping reads it at start and watches it, and applies a change by starting
 * a new container for the next invocations (the bundle reads its
 * environment at import); invocations already running finish on the old one,
 * as on Lambda. Once applied, the mapping says so in a second file, which is
 * what a switch waits for.
 *
 *   <state>/function.json          {"version": 2, "tableName": "oops-trucks-20261201t2300"}
 *   <state>/function.applied.json  {"version": 2, "tableName": "…", "at": "2026-12-01T23:00:01.000Z"}
 *
 * @module
 */

import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import * as v from "valibot";
import { readTextIfExists, writeJsonAtomic } from "../files.ts";

/** What the function is configured with: the table it writes (`TABLE_NAME`), and a version. */
export interface FunctionConfiguration {
  readonly version: number;
  readonly tableName: string;
}

const Configuration = v.object({
  version: v.pipe(v.number(), v.integer(), v.minValue(1)),
  tableName: v.pipe(v.string(), v.nonEmpty()),
});

/** The configuration file under a state directory. */
export const configurationPath = (stateDir: string) => join(stateDir, "function.json");

/** The acknowledgement file: the configuration the mapping runs with. */
export const appliedPath = (stateDir: string) => join(stateDir, "function.applied.json");

/** The configuration in `path`, or `undefined` when there is none; a malformed file throws, naming it. */
export async function readConfiguration(path: string): Promise<FunctionConfiguration | undefined> {
  const text = await readTextIfExists(path);
  if (text === undefined) return undefined;
  const parsed = v.safeParse(Configuration, JSON.parse(text));
  if (!parsed.success)
    throw new Error(`${path}: not a function configuration (${parsed.issues[0]?.message})`);
  return parsed.output;
}

/** Writes the configuration. */
export const writeConfiguration = (path: string, config: FunctionConfiguration) =>
  writeJsonAtomic(path, config);

/** Configures the function to write `tableName`, as the next version; resolves with it. */
export async function updateConfiguration(
  stateDir: string,
  tableName: string,
): Promise<FunctionConfiguration> {
  const current = await readConfiguration(configurationPath(stateDir));
  const next = { version: (current?.version ?? 0) + 1, tableName };
  await writeConfiguration(configurationPath(stateDir), next);
  return next;
}

/** Says that `config` is what new invocations run with from now on. */
export const markApplied = (stateDir: string, config: FunctionConfiguration) =>
  writeJsonAtomic(appliedPath(stateDir), { ...config, at: new Date().toISOString() });

/**
 * Calls `onChange` with every new version of the configuration in
 * `stateDir`, polling every `pollMs` until `signal` fires. A file that is
 * briefly unreadable is tried again at the next poll.
 */
export async function watchConfiguration(
  stateDir: string,
  seen: FunctionConfiguration,
  onChange: (config: FunctionConfiguration) => Promise<void> | void,
  { pollMs = 200, signal }: { pollMs?: number; signal: AbortSignal },
): Promise<void> {
  let version = seen.version;
  while (!signal.aborted) {
    await sleep(pollMs, undefined, { signal }).catch(() => {});
    const config = await readConfiguration(configurationPath(stateDir)).catch(() => undefined);
    if (config !== undefined && config.version > version) {
      version = config.version;
      await onChange(config);
    }
  }
}

/** Waits until the mapping runs with `config`'s version (or a later one); throws after `timeoutMs`. */
export async function untilApplied(
  stateDir: string,
  config: FunctionConfiguration,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const applied = await readConfiguration(appliedPath(stateDir)).catch(() => undefined);
    if (applied !== undefined && applied.version >= config.version) return;
    if (Date.now() > deadline) {
      throw new Error(
        `the mapping did not apply version ${config.version} (table ${config.tableName}) within ${timeoutMs} ms: is make local running?`,
      );
    }
    await sleep(100);
  }
}
