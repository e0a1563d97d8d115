/**
 * AWS emulators on loopback, as child processes: dynalite (DynamoDB) and
 * kinesis-mock (Kinesis, npm package `kinesis-local`).
 *
 * Used by the tests, `make local`, the Terraform emulator test and the
 * benchmarks, so it is strict about three things:
 * - ready means ready: `start*` resolves only after a real API call succeeded;
 * - failures are explicit: a taken port, an early exit or a slow start throws
 *   an error naming the emulator, its port and the tail of its output;
 * - nothing outlives its owner: `stop()` waits for the exit, a process 'exit'
 *   hook kills what is left, and each child also exits by itself when its
 *   stdin pipe closes (the parent died, even by SIGKILL).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { createRequire } from "node:module";
import net from "node:net";
import { dirname, join } from "node:path";
import { createInterface } from "node:readline";
import { setTimeout as sleep } from "node:timers/promises";
import { ListTablesCommand } from "@aws-sdk/client-dynamodb";
import { ListStreamsCommand } from "@aws-sdk/client-kinesis";
import { dynamoClient, kinesisClient } from "./clients.ts";

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

const HOST = "127.0.0.1";
const READY_TIMEOUT_MS = 30_000;
/** How long `stop()` lets SIGTERM work before SIGKILL. */
const TERM_GRACE_MS = 3_000;
const require = createRequire(import.meta.url);

/** Asks the OS for a port that is free on 127.0.0.1 right now. */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  server.listen(0, HOST);
  await once(server, "listening");
  const address = server.address();
  server.close();
  await once(server, "close");
  if (address === null || typeof address === "string") throw new Error("freePort: no TCP address");
  return address.port;
}

/**
 * Throws `port P is in use: …` unless `port` can be bound on 127.0.0.1: an
 * emulator would otherwise die with a less obvious message, or (worse) the
 * probe would reach a stranger already listening there.
 */
export async function assertPortFree(port: number): Promise<void> {
  const server = net.createServer();
  try {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen({ port, host: HOST, exclusive: true }, resolve);
    });
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new Error(`port ${port} is in use: ${reason}`);
  }
  server.close();
  await once(server, "close");
}

/** DynamoDB on loopback; in memory, or persisted in LevelDB under `dataDir`. */
export async function startDynalite(
  opts: EmulatorOptions & { dataDir?: string } = {},
): Promise<Emulator> {
  const port = opts.port ?? (await freePort());
  await assertPortFree(port);
  const args = [require.resolve("dynalite/cli.js"), "--port", `${port}`, "--host", HOST];
  // Tables become ACTIVE at once instead of after 500 ms.
  args.push("--createTableMs", "0", "--deleteTableMs", "0", "--updateTableMs", "0");
  if (opts.dataDir !== undefined) args.push("--path", opts.dataDir);
  const endpoint = `http://${HOST}:${port}`;
  return launch({
    name: "dynalite",
    port,
    args,
    env: process.env,
    opts,
    probe: async () => {
      const client = dynamoClient(endpoint, { maxAttempts: 1, requestTimeoutMs: 2_000 });
      try {
        await client.send(new ListTablesCommand({}));
      } finally {
        client.destroy();
      }
    },
  });
}

/**
 * Kinesis on loopback (kinesis-mock, in memory). Streams start with no delay
 * between CREATING and ACTIVE. `env` adds or overrides kinesis-mock settings,
 * e.g. `INITIALIZE_STREAMS: "oops-events:2"` or `SHARD_LIMIT`.
 */
export async function startKinesis(
  opts: EmulatorOptions & { tlsPort?: number; env?: Record<string, string> } = {},
): Promise<Emulator> {
  const port = opts.port ?? (await freePort());
  await assertPortFree(port);
  // kinesis-mock always serves HTTPS too; give it a port nobody will miss.
  let tlsPort = opts.tlsPort ?? (await freePort());
  while (tlsPort === port) tlsPort = await freePort();
  await assertPortFree(tlsPort);
  const pkg = dirname(require.resolve("kinesis-local/package.json"));
  const endpoint = `http://${HOST}:${port}`;
  return launch({
    name: "kinesis-mock",
    port,
    args: [join(pkg, "main.js")],
    // kinesis-mock hard-codes 0.0.0.0; the preload pins it to loopback.
    loopbackOnly: true,
    env: {
      ...process.env,
      KINESIS_MOCK_PLAIN_PORT: `${port}`,
      KINESIS_MOCK_TLS_PORT: `${tlsPort}`,
      KINESIS_MOCK_CERT_PATH: join(pkg, "server.json"),
      CREATE_STREAM_DURATION: "0ms",
      DELETE_STREAM_DURATION: "0ms",
      UPDATE_SHARD_COUNT_DURATION: "0ms",
      UPDATE_STREAM_MODE_DURATION: "0ms",
      MERGE_SHARDS_DURATION: "0ms",
      SPLIT_SHARD_DURATION: "0ms",
      REGISTER_STREAM_CONSUMER_DURATION: "0ms",
      DEREGISTER_STREAM_CONSUMER_DURATION: "0ms",
      START_STREAM_ENCRYPTION_DURATION: "0ms",
      STOP_STREAM_ENCRYPTION_DURATION: "0ms",
      LOG_LEVEL: "WARN",
      SHOULD_PERSIST_DATA: "false",
      ...opts.env,
    },
    opts,
    probe: async () => {
      const client = kinesisClient(endpoint, { maxAttempts: 1, requestTimeoutMs: 2_000 });
      try {
        await client.send(new ListStreamsCommand({}));
      } finally {
        client.destroy();
      }
    },
  });
}

type LaunchSpec = {
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
async function launch(spec: LaunchSpec): Promise<Emulator> {
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
