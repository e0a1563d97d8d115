/**
 * Test support for the tools' command lines: run one as a child process, the
 * way `make` does, with an environment that cannot leak the developer's own
 * AWS settings into the test; and the stack file of a running `make local`
 * (this process, as its owner). A stream is read back with `aws/stream.ts`.
 *
 * @module
 */

import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { setTimeout as sleep } from "node:timers/promises";
import type { Stack } from "./stack.ts";

/** A local stack that this process owns, so that it counts as running, on ports nobody serves. */
export const LIVE_STACK: Stack = {
  pid: process.pid,
  region: "eu-west-2",
  kinesisEndpoint: "http://127.0.0.1:45671",
  dynamodbEndpoint: "http://127.0.0.1:45672",
  s3Endpoint: "http://127.0.0.1:45673",
  archiveBucket: "local-archive",
  stream: "local-events",
  rejectsStream: "local-rejects",
  table: "local-trucks",
};

/** Variables that choose a target, removed from the inherited environment. */
const TARGET_VARIABLES = /^(AWS_|STREAM_NAME$|TABLE_NAME$|REJECTS_STREAM_NAME$)/;

/**
 * The current environment without any AWS or target variable, plus `extra`.
 * The SDK's Node-version notice is silenced so that stderr holds only the tool's words.
 */
export function cliEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const kept = Object.entries(process.env).filter(([name]) => !TARGET_VARIABLES.test(name));
  return {
    ...Object.fromEntries(kept),
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
    ...extra,
  };
}

/** A running CLI: its output so far, and its end. */
export interface Cli {
  readonly child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves once stdout matches `pattern`; throws after `timeoutMs`. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<void>;
  /** Exit code (or signal name) and everything printed. */
  readonly done: Promise<{ code: number | string; stdout: string; stderr: string }>;
}

/** Starts `node --import tsx <script> ...args` in `env`; the caller awaits `done` (or kills `child`). */
export function startCli(script: string, args: readonly string[], env: NodeJS.ProcessEnv): Cli {
  const child = spawn(process.execPath, ["--import", "tsx", script, ...args], {
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  child.stdout?.on("data", (chunk) => {
    out += chunk;
  });
  child.stderr?.on("data", (chunk) => {
    err += chunk;
  });
  const done = once(child, "close").then(([code, signal]) => ({
    code: (code ?? signal) as number | string,
    stdout: out,
    stderr: err,
  }));
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    async waitFor(pattern, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      while (!pattern.test(out)) {
        if (child.exitCode !== null || Date.now() > deadline) {
          throw new Error(`no ${pattern} in output:\n${out}\nstderr:\n${err}`);
        }
        await sleep(20);
      }
    },
    done,
  };
}

/** Runs a CLI to its end. */
export function runCli(script: string, args: readonly string[], env: NodeJS.ProcessEnv) {
  return startCli(script, args, env).done;
}
