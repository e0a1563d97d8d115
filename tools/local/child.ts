/**
 * The stack's own child processes (the mapping, the generator): TypeScript
 * scripts run by `node --import tsx`, each one stoppable on its own by PID,
 * with its output lines captured and watchable. Like the emulators, no child
 * outlives its owner (`aws/children.ts`), so no test or `make local` leaves
 * orphans behind.
 *
 * @module
 */

import { spawn } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { lifeline, type Output, outputLines, supervise, terminate } from "../../aws/children.ts";

/** The repository root: scripts and `--import tsx` resolve from here. */
export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

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

/** Resolves with the first line from now on that `match`es; rejects on exit or after `timeoutMs`. */
function lineMatching(
  name: string,
  output: Output,
  exited: Promise<string>,
  match: (line: string) => boolean,
  timeoutMs: number,
): Promise<string> {
  const tail = () => output.tail().slice(-20).join("\n") || "(no output)";
  return new Promise((resolve, reject) => {
    const unwatch = output.watch((line) => {
      if (match(line)) done(() => resolve(line));
    });
    const timer = setTimeout(
      () => done(() => reject(new Error(`${name}: no such line after ${timeoutMs} ms\n${tail()}`))),
      timeoutMs,
    );
    const done = (settle: () => void) => {
      unwatch();
      clearTimeout(timer);
      settle();
    };
    exited.then((how) => done(() => reject(new Error(`${name} exited (${how})\n${tail()}`))));
  });
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
    ["--import", "tsx", "--import", lifeline(), join(ROOT, script), ...args],
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
  const exited = supervise(child);
  const output = outputLines(child, 50);
  if (options.onLine !== undefined) output.watch(options.onLine);
  return {
    name,
    pid: child.pid,
    exited,
    tail: () => output.tail().slice(-20).join("\n") || "(no output)",
    waitForLine: (match, timeoutMs) => lineMatching(name, output, exited, match, timeoutMs),
    stop: (graceMs = 5_000) => terminate(child, exited, { graceMs }),
    kill: () => terminate(child, exited, { signal: "SIGKILL", graceMs: 5_000 }),
  };
}
