/**
 * How many connections this process can hold: each SSE viewer is an open
 * socket, so the dashboard says when its viewers would exceed the limit.
 *
 * @module
 */

import { readFileSync } from "node:fs";

/** The soft limit on open files of this process (Linux), if it can be read. */
export function openFilesLimit(): number | undefined {
  try {
    const line = /^Max open files\s+(\d+)/m.exec(readFileSync("/proc/self/limits", "utf8"));
    return line?.[1] === undefined ? undefined : Number(line[1]);
  } catch {
    return undefined;
  }
}
