/**
 * Child processes that never outlive their owner, and whose output is kept
 * as lines: what the emulators (`emulators/process.ts`) and the local
 * stack's own scripts (`tools/local/child.ts`) have in common.
 *
 * Nothing outlives its owner, three ways: `terminate` waits for the exit; a
 * process 'exit' hook kills what is left; and every child runs a lifeline
 * that exits when its stdin pipe closes, i.e. when the owner is gone however
 * it died (even SIGKILL, which runs no hook).
 *
 * @module
 */

import type { ChildProcess } from "node:child_process";
import { once } from "node:events";
import { createInterface } from "node:readline";
import { setTimeout as sleep } from "node:timers/promises";

const LIFELINE =
  'process.stdin.on("end",()=>process.exit(0));process.stdin.on("error",()=>process.exit(0));' +
  "process.stdin.resume();process.stdin.unref?.();";

/**
 * A module for `node --import`, as a data: URL (no file to ship): the
 * lifeline, after `before` (more code to run ahead of the child's own).
 * The child must be spawned with a stdin pipe.
 */
export function lifeline(before = ""): string {
  return `data:text/javascript,${encodeURIComponent(before + LIFELINE)}`;
}

/** Children still running; killed synchronously if this process exits first. */
const live = new Set<ChildProcess>();
process.on("exit", () => {
  for (const child of live) {
    try {
      child.kill("SIGKILL");
    } catch {
      // already gone
    }
  }
});

/** How the child ended, or undefined while it runs. */
export function exitState(child: ChildProcess): string | undefined {
  if (child.pid === undefined) return "failed to spawn";
  if (child.signalCode !== null) return `signal ${child.signalCode}`;
  if (child.exitCode !== null) return `code ${child.exitCode}`;
  return undefined;
}

/**
 * Registers a freshly spawned child: killed if this process exits first.
 * Resolves, with how it ended, once it has exited (or could not be spawned).
 */
export function supervise(child: ChildProcess): Promise<string> {
  child.stdin?.on("error", () => {}); // never written; only its closing matters
  if (child.pid !== undefined) live.add(child);
  return new Promise((resolve) => {
    const done = () => {
      live.delete(child);
      resolve(exitState(child) ?? "exited");
    };
    child.once("exit", done);
    child.once("error", () => {
      if (child.pid === undefined) done();
    });
  });
}

/** True if `p` settles within `ms`. */
async function within(p: Promise<unknown>, ms: number): Promise<boolean> {
  const ac = new AbortController();
  const timeout = sleep(ms, false, { signal: ac.signal }).catch(() => false);
  const settled = await Promise.race([p.then(() => true), timeout]);
  ac.abort();
  return settled;
}

/**
 * `signal` (SIGTERM by default), then SIGKILL after `graceMs`; resolves with
 * how it ended once the child is gone (`exited`: what {@link supervise} gave).
 */
export async function terminate(
  child: ChildProcess,
  exited: Promise<string>,
  { signal = "SIGTERM" as NodeJS.Signals, graceMs = 3_000 } = {},
): Promise<string> {
  if (exitState(child) === undefined && child.pid !== undefined) {
    child.kill(signal);
    if (!(await within(exited, graceMs))) {
      child.kill("SIGKILL");
      if (!(await within(exited, 5_000))) {
        throw new Error(`pid ${child.pid} did not exit after SIGKILL`);
      }
    }
  }
  return exited;
}

/** A child's output, line by line. */
export interface Output {
  /** Resolves when both stdout and stderr have closed. */
  readonly closed: Promise<void>;
  /** The last lines, oldest first, tagged `[stdout]` / `[stderr]`. */
  tail(): string[];
  /** Calls `watcher` with every line from now on, until the returned function is called. */
  watch(watcher: (line: string) => void): () => void;
}

/** Reads both of the child's output streams as lines, keeping the last `keep`. */
export function outputLines(child: ChildProcess, keep = 40): Output {
  const lines: string[] = [];
  const watchers = new Set<(line: string) => void>();
  const streams = [
    { tag: "stderr", stream: child.stderr },
    { tag: "stdout", stream: child.stdout },
  ];
  const closed = Promise.all(
    streams.map(async ({ tag, stream }) => {
      if (stream === null) return;
      const rl = createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY });
      rl.on("line", (line) => {
        lines.push(`[${tag}] ${line}`);
        if (lines.length > keep) lines.shift();
        for (const watcher of watchers) watcher(line);
      });
      await once(rl, "close");
    }),
  ).then(() => {});
  return {
    closed,
    tail: () => [...lines],
    watch: (watcher) => {
      watchers.add(watcher);
      return () => watchers.delete(watcher);
    },
  };
}
