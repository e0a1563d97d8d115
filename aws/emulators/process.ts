/**
 * One emulator as a supervised child process: `node <preload> <script>`,
 * ready once a probe (a real API call) succeeds, stopped by PID.
 *
 * Failures are explicit: an early exit or a slow start throws an error
 * naming the emulator, its port and the tail of its output. Nothing outlives
 * its owner (`../children.ts`). The emulators themselves (which script,
 * which port, which probe) are in `dynalite.ts`, `kinesis_mock.ts` and
 * `s3rver.ts`.
 *
 * @module
 */
import { type ChildProcess, spawn } from "node:child_process";
import { setTimeout as sleep } from "node:timers/promises";
import { exitState, lifeline, outputLines, supervise, terminate } from "../children.ts";

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

/** Options common to every emulator. */
export type EmulatorOptions = {
  /** Port on 127.0.0.1; a free one when omitted. */
  port?: number;
  /** Receives every line the emulator prints (stdout and stderr); silent by default. */
  log?: (line: string) => void;
  /**
   * How long to wait for the first successful API call (default 30 s). Idle,
   * dynalite and kinesis-mock start in about a second; on a machine
   * saturated by parallel test runs kinesis-mock was seen to need 12 s.
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
  });
  const exited = supervise(child);
  const output = outputLines(child);
  if (spec.opts.log !== undefined) output.watch(spec.opts.log);
  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= terminate(child, exited, { graceMs: TERM_GRACE_MS }).then(() => {});
    return stopping;
  };
  const failed = async (why: string) => {
    await Promise.race([output.closed, sleep(1_000)]);
    await stop();
    const tail = output.tail();
    const shown = tail.length === 0 ? "; no output" : `; last output:\n${tail.join("\n")}`;
    return new Error(`${name} on port ${port} ${why}${shown}`);
  };
  await untilReady(spec, child, failed);
  return {
    name,
    endpoint: `http://${HOST}:${port}`,
    port,
    pid: child.pid as number,
    readyMs: Math.round(performance.now() - started),
    stop,
  };
}

/** Probes until the emulator answers; throws what `failed` makes of an exit or a timeout. */
async function untilReady(
  spec: LaunchSpec,
  child: ChildProcess,
  failed: (why: string) => Promise<Error>,
): Promise<void> {
  const started = performance.now();
  const timeoutMs = spec.opts.readyTimeoutMs ?? READY_TIMEOUT_MS;
  let lastError: unknown;
  for (;;) {
    const exit = exitState(child);
    if (exit !== undefined) throw await failed(`exited (${exit}) before it was ready`);
    try {
      await spec.probe();
      return;
    } catch (err) {
      lastError = err;
    }
    if (performance.now() - started > timeoutMs) {
      const why = lastError instanceof Error ? lastError.message : String(lastError);
      throw await failed(`was not ready after ${timeoutMs} ms (last probe: ${why})`);
    }
    await sleep(50);
  }
}

/**
 * The module run before the emulator's own code: the lifeline, and
 * optionally a patch forcing servers that listen on all interfaces onto
 * loopback (kinesis-mock hard-codes 0.0.0.0).
 */
function preload(loopbackOnly = false): string {
  const loopback = `import net from "node:net";const listen=net.Server.prototype.listen;net.Server.prototype.listen=function(...a){if(typeof a[0]==="number"&&(a.length===1||typeof a[1]==="function"))a.splice(1,0,${JSON.stringify(HOST)});return listen.apply(this,a)};`;
  return lifeline(loopbackOnly ? loopback : "");
}
