/**
 * The small state files the tools share (the stack file, Terraform's
 * outputs, checkpoints, the local function's configuration): read, where a
 * missing file is an answer, not an error; written atomically as JSON.
 *
 * @module
 */

import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { dirname } from "node:path";

/** The text of the file at `path`, or `undefined` when there is none (ENOENT); other errors throw. */
export async function readTextIfExists(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw err;
  }
}

/** Temporary files written by this process so far: each write has its own. */
let temporaries = 0;

/**
 * Writes `value` as JSON (indented by `indent` spaces, none by default, and a
 * final newline) to a temporary file next to `path`, then renames it over
 * `path`: a reader, or a crash, sees the old file or the new one, never half
 * of one. Creates the directory if needed.
 */
export async function writeJsonAtomic(
  path: string,
  value: unknown,
  indent?: number,
): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.${++temporaries}.tmp`;
  await writeFile(temporary, `${JSON.stringify(value, null, indent)}\n`);
  await rename(temporary, path);
}
