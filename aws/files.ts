/**
 * Reading the small state files the tools share (the stack file, Terraform's
 * outputs, checkpoints), where a missing file is an answer, not an error.
 *
 * @module
 */

import { readFile } from "node:fs/promises";

/** The text of the file at `path`, or `undefined` when there is none (ENOENT); other errors throw. */
export async function readTextIfExists(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw err;
  }
}
