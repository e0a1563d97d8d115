/**
 * The stack's own child processes (the mapping, the generator): TypeScript
 * scripts run by `node --import tsx`, each one stoppable on its own by PID,
 * with its output lines captured. Like the emulators, every child exits by
 * itself when its stdin pipe closes, i.e. when its parent is gone however it
 * died (even SIGKILL), so no test or `make local` leaves orphans behind.
 *
 * @module
 */

import { type ChildProcess, spawn } from "node:child_process";
import { dirname, join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

/** The repository root: scripts and `--import tsx` resolve from here. */
export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

/** Exit on stdin's end: a parent that dies closes the pipe. */
const LIFELINE = `data:text/javascript,${encodeURIComponent(
  'process.stdin.on("end",()=>process.exit(0));process.stdin.on("error",()=>process.exit(0));process.stdin.resume();process.stdin.unref?.();',
)}`;

/**
 * The AWS SDK warns once per process, on stderr, that Node 20 support ends in
 * 2027: noise in every child's log and in the live table. Set here, not in
 * the scripts, so that the scripts run by hand still warn.
 */
const QUIET = { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" };

export interface ChildOptions {
  /** Replaces the environment entirely when given. */
  readonly env?: NodeJS.ProcessEnv;
  /** Every output line (stdout and stderr). */
  readonly onLine?: (line: string) => void;
}

export interface Child {
  readonly name: string;
  readonly pid: number;
  /** Resolves when the process has exited, with `code N` or `signal S`. */
  readonly exited: Promise<string>;
  /** The last output lines, for error messages. */
  tail(): string;
  /** Resolves with the first line (from now on) that matches, or rejects on exit or timeout. */
  waitForLine(match: (line: string) => boolean, timeoutMs: number): Promise<string>;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once it has exited. */
  stop(graceMs?: number): Promise<string>;
  /** SIGKILL, as a crash would; resolves once it has exited. */
  kill(): Promise<string>;
}

/** Runs `script` (a path relative to the repository root) with `args`. */
export function spawnScript(
  name: string,
  script: string,
  args: readonly string[],
  options: ChildOptions = {},
): Child {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", "--import", LIFELINE, join(ROOT, script), ...args],
    {
      cwd: ROOT,
      env: { ...QUIET, ...(options.env ?? process.env) },
      stdio: ["pipe", "pipe", "pipe"],
      // A process group of its own: Ctrl-C in a terminal reaches only the owner, which then
      // stops its children in order (generator, mapping, emulators) rather than all at once.
      detached: true,
    },
  );
  if (child.pid === undefined) throw new Error(`${name}: could not start ${script}`);
  child.stdin?.on("error", () => {});
  live.add(child);
  const exited = new Promise<string>((resolve) => {
    child.once("exit", (code, signal) => {
      live.delete(child);
      resolve(signal === null ? `code ${code}` : `signal ${signal}`);
    });
  });
  const lines: string[] = [];
  const watchers = new Set<(line: string) => void>();
  for (const stream of [child.stdout, child.stderr]) {
    if (stream === null) continue;
    createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY }).on("line", (line) => {
      lines.push(line);
      if (lines.length > 50) lines.shift();
      options.onLine?.(line);
      for (const watcher of watchers) watcher(line);
    });
  }
  const tail = () => (lines.length === 0 ? "(no output)" : lines.slice(-20).join("\n"));
  const signalAndWait = async (signal: NodeJS.Signals, graceMs: number) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
    const how = await exited;
    clearTimeout(timer);
    return how;
  };
  return {
    name,
    pid: child.pid,
    exited,
    tail,
    waitForLine: (match, timeoutMs) =>
      new Promise((resolve, reject) => {
        const done = (action: () => void) => {
          watchers.delete(watcher);
          clearTimeout(timer);
          action();
        };
        const watcher = (line: string) => {
          if (match(line)) done(() => resolve(line));
        };
        const timer = setTimeout(
          () =>
            done(() => reject(new Error(`${name}: no such line after ${timeoutMs} ms\n${tail()}`))),
          timeoutMs,
        );
        watchers.add(watcher);
        exited.then((how) => done(() => reject(new Error(`${name} exited (${how})\n${tail()}`))));
      }),
    stop: (graceMs = 5_000) => signalAndWait("SIGTERM", graceMs),
    kill: () => signalAndWait("SIGKILL", 5_000),
  };
}

/** Children still running; killed synchronously if this process exits first. */
const live = new Set<ChildProcess>();
process.on("exit", () => {
  for (const child of live) child.kill("SIGKILL");
});
