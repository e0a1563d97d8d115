/**
 * `make local`: the whole pipeline on this machine, no AWS account needed —
 * kinesis-mock and dynalite on 127.0.0.1, the streams and table Terraform
 * would create, the event source mapping (a child process) feeding the
 * handler bundle, the forward generator (a child process), the dashboard,
 * and the truck table live in the terminal. `.local/stack.json` tells
 * `make generate` / `make status` in other terminals where it all listens.
 *
 * Restart semantics. By default the emulators keep everything in memory, so
 * every run starts from an empty stream and table; checkpoints of the last
 * run are deleted at start, since they name records of a stream that no
 * longer exists. Within a run, the mapping keeps its checkpoints on disk:
 * kill it (`kill -9 <pid>` in the header) and it is restarted, resuming
 * without loss. `--persist` keeps streams, table and checkpoints in
 * `.local/` for the next run; `--fresh` deletes `.local/` first.
 *
 * Ctrl-C (or SIGTERM) stops every process it started, by PID, removes the
 * stack file and exits 0.
 *
 * @module
 */

import { createWriteStream } from "node:fs";
import { rm } from "node:fs/promises";
import { join, relative, resolve } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { KINESIS_PERSIST_MS, startEmulators } from "../../aws/emulators/emulators.ts";
import { NAMES as R } from "../../aws/names.ts";
import { createResources } from "../../aws/resources.ts";
import { startDashboard } from "../dashboard/server.ts";
import { writeStack } from "../stack.ts";
import { ROOT } from "./child.ts";
import { startLiveView } from "./live.ts";
import { type LocalOptions, parseLocalArgs, portWishes, USAGE } from "./local_options.ts";
import { preflight, prepareState } from "./prepare.ts";
import { startGenerator, superviseMapping } from "./processes.ts";
import { type Progress, parseProgress } from "./progress.ts";

const say = (line: string) => process.stdout.write(`${line}\n`);
const BUNDLE = join(ROOT, "handler", "dist", "index.mjs");

/** Things to undo, most recent first; run once, on Ctrl-C or a failed start. */
const cleanups: { what: string; run: () => Promise<unknown> }[] = [];
let stopping: Promise<void> | undefined;

function shutdown(): Promise<void> {
  stopping ??= (async () => {
    for (const { what, run } of cleanups.reverse()) {
      await run().catch((err) => say(`  ! ${what}: ${(err as Error).message}`));
    }
  })();
  return stopping;
}

async function main(options: LocalOptions): Promise<void> {
  const stateDir = resolve(ROOT, options.stateDir);
  const logDir = join(stateDir, "logs");
  const stackPath = join(stateDir, "stack.json");
  say("make local: the OOPS pipeline on this machine (no AWS account needed)");

  const ports = portWishes(options);
  await preflight({ bundle: BUNDLE, stackPath, ports });
  say(
    `  ✓ handler bundle ${relative(ROOT, BUNDLE)}; ports ${ports.map((p) => p.port ?? "-").join(", ")} free`,
  );
  await prepareState(stateDir, { fresh: options.fresh, persist: options.persist, root: ROOT });
  const logTo = (name: string) => {
    const file = createWriteStream(join(logDir, `${name}.log`), { flags: "w" });
    cleanups.push({
      what: `closing ${name}.log`,
      run: () => new Promise((done) => file.end(done)),
    });
    return (line: string) => file.write(`${line}\n`);
  };
  const emulatorLogs = { "kinesis-mock": logTo("kinesis-mock"), dynalite: logTo("dynalite") };
  const state = options.persist ? `persisted in ${relative(ROOT, stateDir)}/` : "in memory";
  say(
    `  … starting kinesis-mock on :${options.kinesisPort} and dynalite on :${options.dynamodbPort} (${state})`,
  );

  // The mapping boots (Node, tsx, the SDK) while the emulators start; it waits for its stream.
  let progress: Progress | undefined;
  const mappingLog = logTo("mapping");
  const logHint = (name: string) => `${relative(ROOT, logDir)}/${name}.log`;
  const endpoint = (port: number) => `http://127.0.0.1:${port}`;
  const mapping = superviseMapping(
    {
      kinesisEndpoint: endpoint(options.kinesisPort),
      dynamodbEndpoint: endpoint(options.dynamodbPort),
      stateDir,
      region: options.region,
      progressMs: 500,
    },
    {
      onLine: (line) => {
        mappingLog(line);
        progress = parseProgress(line) ?? progress;
      },
      logHint: logHint("mapping"),
      readyTimeoutMs: 30_000,
    },
  );
  // Stops it if the start fails; on Ctrl-C the same (idempotent) stop runs before the emulators'.
  cleanups.push({ what: "stopping the mapping", run: () => mapping.stop() });

  const emulators = await startEmulators({
    kinesisPort: options.kinesisPort,
    dynamodbPort: options.dynamodbPort,
    log: (name, line) => emulatorLogs[name as keyof typeof emulatorLogs]?.(line),
    ...(options.persist ? { persistDir: stateDir } : {}),
  });
  cleanups.push({
    what: "stopping the emulators",
    run: async () => {
      // A persisting kinesis-mock saves on a timer, not on exit: let it save the last puts.
      if (options.persist) await sleep(KINESIS_PERSIST_MS + 250);
      await emulators.stop();
      say(
        `  ✓ stopped kinesis-mock (pid ${emulators.kinesis.pid}) and dynalite (pid ${emulators.dynalite.pid})`,
      );
    },
  });
  cleanups.push({
    what: "stopping the mapping",
    run: async () => say(`  ✓ stopped the mapping (pid ${mapping.pid()}, ${await mapping.stop()})`),
  });
  say(
    `  ✓ kinesis-mock ready in ${emulators.kinesis.readyMs} ms, dynalite in ${emulators.dynalite.readyMs} ms`,
  );
  await createResources(emulators.kinesisClient, emulators.dynamoClient);
  say(
    `  ✓ stream ${R.stream} (${R.streamShards} shards), stream ${R.rejectsStream} (${R.rejectsShards}), table ${R.table} (hash key ${R.hashKey.name} ${R.hashKey.type})`,
  );

  const dashboardLog = logTo("dashboard");
  const [, dashboard] = await Promise.all([
    mapping.ready,
    options.dashboardPort === undefined
      ? undefined
      : startDashboard({
          table: R.table,
          dynamo: emulators.dynamoClient,
          port: options.dashboardPort,
          host: "127.0.0.1",
          refreshMs: 500,
          log: dashboardLog,
        }),
  ]);
  if (dashboard !== undefined) {
    cleanups.push({ what: "closing the dashboard", run: () => dashboard.close() });
  }
  say(`  ✓ mapping polling ${R.stream} (${mapping.note()}), invoking the bundle in-process`);

  await writeStack(stackPath, {
    pid: process.pid,
    region: options.region,
    kinesisEndpoint: emulators.kinesis.endpoint,
    dynamodbEndpoint: emulators.dynalite.endpoint,
    stream: R.stream,
    rejectsStream: R.rejectsStream,
    table: R.table,
    ...(dashboard === undefined ? {} : { dashboardUrl: dashboard.url }),
  });
  cleanups.push({ what: "removing the stack file", run: () => rm(stackPath, { force: true }) });
  const readyMs = performance.now();
  say(
    `  ✓ wrote ${relative(ROOT, stackPath)}: make generate / make status elsewhere use this stack`,
  );
  say(
    `ready in ${(readyMs / 1000).toFixed(1)} s${dashboard ? ` · dashboard ${dashboard.url}` : ""}`,
  );

  const generator =
    options.rate === undefined
      ? undefined
      : startGenerator(
          {
            rate: options.rate,
            seed: options.seed,
            stream: R.stream,
            region: options.region,
            kinesisEndpoint: emulators.kinesis.endpoint,
            dynamodbEndpoint: emulators.dynalite.endpoint,
          },
          { onLine: logTo("generator"), logHint: logHint("generator") },
        );
  if (generator !== undefined) {
    cleanups.push({
      what: "stopping the generator",
      run: async () =>
        say(`  ✓ stopped the generator (pid ${generator.pid}, ${await generator.stop()})`),
    });
  }

  const view = startLiveView({
    dynamo: emulators.dynamoClient,
    table: R.table,
    live: options.live,
    pollMs: 500,
    write: (text) => process.stdout.write(text),
    status: () => ({
      readyMs,
      stream: R.stream,
      table: R.table,
      kinesisEndpoint: emulators.kinesis.endpoint,
      dynamodbEndpoint: emulators.dynalite.endpoint,
      dashboardUrl: dashboard?.url,
      mapping: mapping.note(),
      records: progress?.records ?? 0,
      perSecond: progress?.perSecond,
      lastBatchAt: progress?.lastBatchAt,
      lagMs: progress?.lagMs,
      generator: generator?.note() ?? "off (--no-generator): try make generate elsewhere",
    }),
  });
  cleanups.push({
    what: "stopping the view",
    run: async () => {
      await view.stop();
      say("\nstopping (Ctrl-C again to force)");
    },
  });
}

let signals = 0;
const onSignal = () => {
  if (++signals > 1) process.exit(130); // the exit hooks still kill every child
  shutdown().then(() => process.exit(0));
};
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(signal, onSignal);

// The SDK's "Node 20 support ends in 2027" warning would land in the middle of the table.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
let options: LocalOptions;
try {
  options = parseLocalArgs(process.argv.slice(2), process.env, process.stdout.isTTY === true);
} catch (err) {
  console.error(`make local: ${(err as Error).message}\n\n${USAGE}`);
  process.exit(2);
}
if (options.help) {
  say(USAGE);
} else {
  main(options).catch(async (err: unknown) => {
    if (stopping !== undefined) return; // Ctrl-C during the start: the signal handler finishes
    console.error(`make local: ${err instanceof Error ? err.message : String(err)}`);
    await shutdown();
    process.exit(1);
  });
}
