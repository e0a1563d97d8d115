/**
 * What `make local` checks and tidies before it starts anything, so that a
 * problem costs one clear line instead of a half-started stack: the bundle
 * is built, no other stack runs, the ports are free; then the state
 * directory is made to match the emulators about to start.
 *
 * @module
 */

import { existsSync } from "node:fs";
import { mkdir, rm } from "node:fs/promises";
import { join, relative } from "node:path";
import { assertPortFree } from "../../aws/emulators/ports.ts";
import { readStack } from "../stack.ts";

/** A port to check: who wants it, and how the user picks another. */
export type PortWish = { name: string; port: number | undefined; how: string };

/** Throws the first problem found, worded as what to do about it. */
export async function preflight(check: {
  bundle: string;
  stackPath: string;
  ports: readonly PortWish[];
}): Promise<void> {
  if (!existsSync(check.bundle)) {
    throw new Error(`${relative(process.cwd(), check.bundle)} not found: run \`make build\` first`);
  }
  const other = await readStack(check.stackPath);
  if (other !== undefined) {
    throw new Error(`a local stack is already running (pid ${other.pid}): stop it first`);
  }
  for (const { name, port, how } of check.ports) {
    if (port === undefined) continue;
    await assertPortFree(port).catch((err: Error) => {
      throw new Error(`${err.message} (wanted for ${name}; choose another with ${how})`);
    });
  }
}

/** True when deleting `dir` would delete `root` too (it is `root` or holds it). */
export function holds(dir: string, root: string): boolean {
  return !relative(dir, root).startsWith("..");
}

/**
 * `--fresh` deletes the whole state directory. Without `--persist` the
 * emulators start empty, so checkpoints and skipped-batch reports of an
 * earlier run go too: they name records of streams that no longer exist.
 */
export async function prepareState(
  stateDir: string,
  options: { fresh: boolean; persist: boolean; root: string },
): Promise<void> {
  if (options.fresh) {
    if (holds(stateDir, options.root)) {
      throw new Error(`--fresh would delete ${stateDir}, which holds the repository`);
    }
    await rm(stateDir, { recursive: true, force: true });
  }
  if (!options.persist) {
    for (const name of [
      "checkpoints",
      "failed",
      "archiver",
      "function.json",
      "function.applied.json",
    ]) {
      await rm(join(stateDir, name), { recursive: true, force: true });
    }
  }
  await mkdir(join(stateDir, "logs"), { recursive: true });
}
