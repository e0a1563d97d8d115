/**
 * The two child processes of `make local`, each with a one-line note for the
 * header: the mapping, restarted when it dies (as Lambda's poller would be;
 * its checkpoints make that lossless), and the forward generator.
 *
 * @module
 */

import { setTimeout as sleep } from "node:timers/promises";
import { type Child, spawnScript } from "./child.ts";
import { type MappingTarget, spawnMapping } from "./mapping_process.ts";

/** Wait before a dead mapping is started again (no tight crash loop). */
const RESTART_MS = 1_000;

/** A supervised child: what the header says about it, and how to stop it. */
export interface Supervised {
  note(): string;
  /** Stops it for good; resolves with how it exited (or why there was nothing to stop). */
  stop(): Promise<string>;
}

/**
 * Starts the mapping at once (it waits for its stream by itself); `ready`
 * resolves once it polls every shard. When it exits on its own (crash,
 * `kill -9`), a new one is started after `restartMs`. `stop()` works at any
 * time, ready or not.
 */
export function superviseMapping(
  target: MappingTarget,
  options: { onLine: (line: string) => void; logHint: string; readyTimeoutMs: number },
): Supervised & { pid(): number | undefined; ready: Promise<void> } {
  let child: Child | undefined;
  let note = "starting";
  let stopped = false;
  const start = (): Promise<void> => {
    const spawned = spawnMapping(target, options);
    child = spawned.child;
    note = `pid ${spawned.child.pid}, starting`;
    spawned.child.exited.then(async (how) => {
      if (stopped) return;
      note = `exited (${how}), restarting; see ${options.logHint}`;
      await sleep(RESTART_MS);
      if (!stopped)
        await start().catch((err) => (note = `restart failed: ${(err as Error).message}`));
    });
    return spawned.ready.then(() => {
      note = `pid ${spawned.child.pid}`;
    });
  };
  const ready = start().catch(async (err) => {
    stopped = true;
    await child?.kill();
    throw err;
  });
  ready.catch(() => {}); // the owner may stop before it awaits `ready`; not an unhandled rejection
  return {
    ready,
    note: () => note,
    pid: () => child?.pid,
    stop: async () => {
      stopped = true;
      return child === undefined ? "not running" : child.stop();
    },
  };
}

/** What the generator is told. */
export interface GeneratorRun {
  readonly rate: number;
  readonly seed: number | undefined;
  readonly stream: string;
  readonly region: string;
  readonly kinesisEndpoint: string;
  readonly dynamodbEndpoint: string;
}

/** The generator's command line: forward at `rate`, aimed at the emulators. */
export function generatorArgs(run: GeneratorRun): string[] {
  const args = [
    "forward",
    "--rate",
    String(run.rate),
    "--stream",
    run.stream,
    "--region",
    run.region,
  ];
  return run.seed === undefined ? args : [...args, "--seed", String(run.seed)];
}

/** Starts `make generate` forward; the note is its last line ("Wrote … with timestamp …"). */
export function startGenerator(
  run: GeneratorRun,
  options: { onLine: (line: string) => void; logHint: string },
): Supervised & { pid: number } {
  let note = `forward at ${run.rate} event/s`;
  let stopped = false;
  const child = spawnScript("generator", "tools/generate/main.ts", generatorArgs(run), {
    // Endpoints in the environment take precedence in the tools' target rule.
    env: {
      ...process.env,
      AWS_ENDPOINT_URL_KINESIS: run.kinesisEndpoint,
      AWS_ENDPOINT_URL_DYNAMODB: run.dynamodbEndpoint,
    },
    onLine: (line) => {
      options.onLine(line);
      note = line;
    },
  });
  child.exited.then((how) => {
    if (!stopped) note = `exited (${how}); see ${options.logHint}`;
  });
  return {
    pid: child.pid,
    note: () => note,
    stop: () => {
      stopped = true;
      return child.stop();
    },
  };
}
