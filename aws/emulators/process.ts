/**
 * One emulator as a supervised child process: `node <preload> <script>`,
 * ready once a probe (a real API call) succeeds, stopped by PID.
 *
 * - failures are explicit: an early exit or a slow start throws an error
 *   naming the emulator, its port and the tail of its output;
 * - nothing outlives its owner: `stop()` waits for the exit, a process 'exit'
 *   hook kills what is left, and each child also exits by itself when its
 *   stdin pipe closes (the parent died, even by SIGKILL).
 *
 * The emulators themselves (which script, which port, which probe) are in
 * `emulators.ts`. `child.ts` does the same for the stack's own TypeScript
 * scripts, differently enough (tsx, a process group, line watchers) to stay
 * apart.
 *
 * @module
 */
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { createInterface } from "node:readline";
import { setTimeout as sleep } from "node:timers/promises";

/** The only interface the emulators listen on. */
export const HOST = "127.0.0.1";

/** A running emulator. `stop()` is idempotent and resolves once the process has exited. */
export type Emulator = {
  name: string;
  /** `http://127.0.0.1:<port>`, for an SDK client's `endpoint`. */
  endpoint: string;
  port: number;
  pid: number;
  /** Milliseconds from spawn to the first successful API call. */
  readyMs: number;
  stop(): Promise<void>;
};

/** Options common to both emulators. */
export type EmulatorOptions = {
  /** Port on 127.0.0.1; a free one when omitted. */
  port?: number;
  /** Receives every line the emulator prints (stdout and stderr); silent by default. */
  log?: (line: string) => void;
  /**
   * How long to wait for the first successful API call (default 30 s). Idle,
   * both start in about a second; on a machine saturated by parallel test
   * runs kinesis-mock was seen to need 12 s.
   */
  readyTimeoutMs?: number;
};

const READY_TIMEOUT_MS = 30_000;

/** A probe's client: one attempt, a short timeout (the loop around it retries). */
export const PROBE = { maxAttempts: 1, requestTimeoutMs: 2_000 } as const;

/** One API call with `client`, which is destroyed after it: the probe of a `LaunchSpec`. */
export async function probe(
  client: { send(command: never): Promise<unknown>; destroy(): void },
  command: unknown,
): Promise<void> {
  try {
    await client.send(command as never);
  } finally {
    client.destroy();
  }
}
/** How long `stop()` lets SIGTERM work before SIGKILL. */
const TERM_GRACE_MS = 3_000;

/** What `launch` runs, and how it knows the emulator is ready. */
export type LaunchSpec = {
  name: string;
  port: number;
  /** Arguments after `node`, starting with the script. */
  args: string[];
  env: NodeJS.ProcessEnv;
  loopbackOnly?: boolean;
  opts: EmulatorOptions;
  probe: () => Promise<void>;
};

/** Spawns `node <preload> ...args`, waits until `probe` succeeds, and hands back the handle. */
export async function launch(spec: LaunchSpec): Promise<Emulator> {
  const { name, port } = spec;
  const started = performance.now();
  const child = spawn(process.execPath, ["--import", preload(spec.loopbackOnly), ...spec.args], {
    env: spec.env,
    stdio: ["pipe", "pipe", "pipe"],
    detached: false,
  });
  child.stdin?.on("error", () => {}); // never written; only its closing matters
  const exited = watchExit(child);
  const output = captureOutput(child, spec.opts.log);
  if (child.pid !== undefined) live.add(child);
  const stop = once1(() => terminate(child, exited));
  const timeoutMs = spec.opts.readyTimeoutMs ?? READY_TIMEOUT_MS;
  let lastError: unknown;
  for (;;) {
    const exit = exitState(child);
    if (exit !== undefined) {
      await Promise.race([output.closed, sleep(1_000)]);
      await stop();
      throw new Error(
        `${name} on port ${port} exited (${exit}) before it was ready${output.tail()}`,
      );
    }
    try {
      await spec.probe();
      break;
    } catch (err) {
      lastError = err;
    }
    if (performance.now() - started > timeoutMs) {
      await stop();
      const why = lastError instanceof Error ? lastError.message : String(lastError);
      throw new Error(
        `${name} on port ${port} was not ready after ${timeoutMs} ms (last probe: ${why})${output.tail()}`,
      );
    }
    await sleep(50);
  }
  return {
    name,
    endpoint: `http://${HOST}:${port}`,
    port,
    pid: child.pid as number,
    readyMs: Math.round(performance.now() - started),
    stop,
  };
}

/**
 * An ES module run before the emulator's own code (as a data: URL, so no file
 * to ship): exit when stdin closes, i.e. when the parent is gone however it
 * died; optionally force servers listening on all interfaces onto loopback.
 */
function preload(loopbackOnly = false): string {
  const lifeline = `process.stdin.on("end",()=>process.exit(0));process.stdin.on("error",()=>process.exit(0));process.stdin.resume();`;
  const loopback = `import net from "node:net";const listen=net.Server.prototype.listen;net.Server.prototype.listen=function(...a){if(typeof a[0]==="number"&&(a.length===1||typeof a[1]==="function"))a.splice(1,0,${JSON.stringify(HOST)});return listen.apply(this,a)};`;
  return `data:text/javascript,${encodeURIComponent((loopbackOnly ? loopback : "") + lifeline)}`;
}

/** Resolves when the child has exited (or could not be spawned at all). */
function watchExit(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.once("error", () => {
      if (child.pid === undefined) resolve();
    });
  });
}

/** How the child ended, or undefined while it runs. */
function exitState(child: ChildProcess): string | undefined {
  if (child.pid === undefined) return "failed to spawn";
  if (child.signalCode !== null) return `signal ${child.signalCode}`;
  if (child.exitCode !== null) return `code ${child.exitCode}`;
  return undefined;
}

/** SIGTERM, then SIGKILL after a grace period; resolves once the child is gone. */
async function terminate(child: ChildProcess, exited: Promise<void>): Promise<void> {
  try {
    if (exitState(child) === undefined && child.pid !== undefined) {
      child.kill("SIGTERM");
      if (!(await within(exited, TERM_GRACE_MS))) {
        child.kill("SIGKILL");
        if (!(await within(exited, 5_000))) {
          throw new Error(`pid ${child.pid} did not exit after SIGKILL`);
        }
      }
    }
    await exited;
  } finally {
    if (exitState(child) !== undefined) live.delete(child);
  }
}

/** True if `p` settles within `ms`. */
async function within(p: Promise<unknown>, ms: number): Promise<boolean> {
  const ac = new AbortController();
  const timeout = sleep(ms, false, { signal: ac.signal }).catch(() => false);
  const settled = await Promise.race([p.then(() => true), timeout]);
  ac.abort();
  return settled;
}

/** Memoises an async thunk, so that concurrent and repeated calls share one run. */
function once1(fn: () => Promise<void>): () => Promise<void> {
  let run: Promise<void> | undefined;
  return () => {
    run ??= fn();
    return run;
  };
}

/** Forwards output lines to `log` and keeps the last ones for error messages. */
function captureOutput(child: ChildProcess, log?: (line: string) => void) {
  const lines: string[] = [];
  const streams = [
    { tag: "stderr", stream: child.stderr },
    { tag: "stdout", stream: child.stdout },
  ];
  const closed = Promise.all(
    streams.map(({ tag, stream }) => {
      if (stream === null) return Promise.resolve();
      const rl = createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY });
      rl.on("line", (line) => {
        lines.push(`[${tag}] ${line}`);
        if (lines.length > 40) lines.shift();
        log?.(line);
      });
      return once(rl, "close").then(() => {});
    }),
  );
  return {
    closed,
    tail: () => (lines.length === 0 ? "; no output" : `; last output:\n${lines.join("\n")}`),
  };
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
