/**
 * The emulator harness against the real emulators: they come up on loopback,
 * serve the calls the pipeline makes, and leave no process or port behind,
 * even when their owner dies.
 */
import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, rm } from "node:fs/promises";
import net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { setTimeout as sleep } from "node:timers/promises";
import { GetItemCommand, ListTablesCommand, PutItemCommand } from "@aws-sdk/client-dynamodb";
import {
  GetRecordsCommand,
  GetShardIteratorCommand,
  PutRecordCommand,
} from "@aws-sdk/client-kinesis";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { dynamoClient, kinesisClient } from "../clients.ts";
import { createStream, createTable } from "../resources.ts";
import { startDynalite } from "./dynalite.ts";
import { startKinesisMock } from "./kinesis_mock.ts";
import { assertPortFree } from "./ports.ts";
import type { Emulator } from "./process.ts";

/** The "ready in under 10 s" goal of `make local`. */
const READY_GOAL_MS = 10_000;

/** Whatever a test started; stopped after each test, pass or fail. */
const running: Emulator[] = [];
test.after.each(async () => {
  await Promise.all(running.splice(0).map((e) => e.stop()));
});

function pidGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "ESRCH";
  }
}

async function waitGone(pid: number, ms = 5_000): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (!pidGone(pid)) {
    if (Date.now() > deadline) return false;
    await sleep(25);
  }
  return true;
}

/**
 * Resolves once `port` can be bound again, or throws `assertPortFree`'s error
 * after `ms`. Once, in CI, the port was still taken just after the process
 * was reaped, while another run started emulators on the same machine: a
 * bounded wait tells a slow release from a leak.
 */
async function portFreed(port: number, ms = 3_000): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      return await assertPortFree(port);
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await sleep(50);
    }
  }
}

/** kinesis-mock takes a record and gives it back, as the mapping will ask for it. */
async function kinesisRoundTrip(endpoint: string): Promise<void> {
  const kc = kinesisClient(endpoint);
  await createStream(kc, "oops-events", 1);
  const put = await kc.send(
    new PutRecordCommand({
      StreamName: "oops-events",
      PartitionKey: "1HGCM82633A004352",
      Data: new TextEncoder().encode('{"event":"TRUCK_ARRIVES"}'),
    }),
  );
  const { ShardIterator } = await kc.send(
    new GetShardIteratorCommand({
      StreamName: "oops-events",
      ShardId: put.ShardId,
      ShardIteratorType: "TRIM_HORIZON",
    }),
  );
  const { Records = [] } = await kc.send(new GetRecordsCommand({ ShardIterator }));
  kc.destroy();
  assert.is(Records.length, 1);
  assert.is(Records[0]?.SequenceNumber, put.SequenceNumber);
  assert.is(new TextDecoder().decode(Records[0]?.Data), '{"event":"TRUCK_ARRIVES"}');
}

/** dynalite stores an item and reads it back consistently. */
async function dynamoRoundTrip(endpoint: string): Promise<void> {
  const dc = dynamoClient(endpoint);
  await createTable(dc, "oops-trucks");
  const Key = { vin: { S: "1HGCM82633A004352" } };
  await dc.send(
    new PutItemCommand({ TableName: "oops-trucks", Item: { ...Key, mileage: { N: "33207" } } }),
  );
  const got = await dc.send(
    new GetItemCommand({ TableName: "oops-trucks", Key, ConsistentRead: true }),
  );
  dc.destroy();
  assert.equal(got.Item, { ...Key, mileage: { N: "33207" } });
}

/** Stops each emulator (twice: stop is idempotent) and checks its process and port are gone. */
async function stopWithoutATrace(emulators: readonly Emulator[]): Promise<void> {
  for (const emulator of emulators) {
    await emulator.stop();
    await emulator.stop(); // idempotent
    assert.ok(pidGone(emulator.pid), `${emulator.name} pid ${emulator.pid} still alive`);
    await assertPortFree(emulator.port);
  }
}

test("both emulators start, serve real calls, and stop without a trace", async () => {
  const [dynalite, kinesis] = await Promise.all([startDynalite(), startKinesisMock()]);
  running.push(dynalite, kinesis);
  console.log(`  dynalite ready in ${dynalite.readyMs} ms, kinesis-mock in ${kinesis.readyMs} ms`);
  for (const { name, readyMs } of [dynalite, kinesis]) {
    // A warning, not a failure: a saturated machine can exceed it (12 s seen).
    if (readyMs > READY_GOAL_MS) console.warn(`  ${name} missed the ${READY_GOAL_MS} ms goal`);
  }
  assert.is(dynalite.endpoint, `http://127.0.0.1:${dynalite.port}`);
  assert.is(kinesis.endpoint, `http://127.0.0.1:${kinesis.port}`);
  await kinesisRoundTrip(kinesis.endpoint);
  await dynamoRoundTrip(dynalite.endpoint);
  await stopWithoutATrace(running.splice(0));
});

test("a taken port is refused before anything is spawned", async () => {
  const squatter = net.createServer();
  squatter.listen(0, "127.0.0.1");
  await once(squatter, "listening");
  const { port } = squatter.address() as net.AddressInfo;
  try {
    for (const start of [startDynalite, startKinesisMock]) {
      try {
        running.push(await start({ port }));
        assert.unreachable(`${start.name} started on a taken port`);
      } catch (err) {
        assert.match((err as Error).message, `port ${port} is in use: `);
      }
    }
  } finally {
    squatter.close();
  }
});

test("an emulator that dies while starting is reported with its output", async () => {
  try {
    running.push(await startKinesisMock({ env: { KINESIS_MOCK_CERT_PATH: "/nonexistent.json" } }));
    assert.unreachable("kinesis-mock started without its certificate");
  } catch (err) {
    const message = (err as Error).message;
    assert.match(message, /^kinesis-mock on port \d+ exited \(code 1\) before it was ready/);
    assert.match(message, "/nonexistent.json");
  }
});

test("dynalite keeps its tables in dataDir across restarts", async () => {
  const dataDir = await mkdtemp(join(tmpdir(), "dynalite-"));
  try {
    const first = await startDynalite({ dataDir });
    running.push(first);
    const create = dynamoClient(first.endpoint);
    await createTable(create, "kept");
    create.destroy();
    await first.stop();

    const second = await startDynalite({ dataDir });
    running.push(second);
    const list = dynamoClient(second.endpoint);
    const { TableNames } = await list.send(new ListTablesCommand({}));
    list.destroy();
    assert.equal(TableNames, ["kept"]);
  } finally {
    await Promise.all(running.splice(0).map((e) => e.stop()));
    await rm(dataDir, { recursive: true, force: true });
  }
});

/**
 * Runs a separate Node process that starts dynalite and prints its pid, then
 * ends that owner as `how` says and checks the emulator went with it.
 */
async function ownerDies(how: "process.exit" | "SIGKILL"): Promise<void> {
  const module = new URL("./dynalite.ts", import.meta.url).href;
  const script = [
    `import { startDynalite } from ${JSON.stringify(module)};`,
    "const d = await startDynalite();",
    "console.log(JSON.stringify({ pid: d.pid, port: d.port }));",
    `if (${JSON.stringify(how)} === "process.exit") process.exit(0);`,
  ].join("\n");
  const owner = spawn(
    process.execPath,
    ["--import", "tsx", "--input-type=module", "--eval", script],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  try {
    const [line] = (await once(createInterface({ input: owner.stdout }), "line")) as [string];
    const { pid, port } = JSON.parse(line) as { pid: number; port: number };
    if (how === "SIGKILL") owner.kill("SIGKILL");
    assert.ok(await waitGone(pid), `dynalite pid ${pid} outlived its owner (${how})`);
    await portFreed(port);
  } finally {
    if (owner.exitCode === null && owner.signalCode === null) owner.kill("SIGKILL");
  }
}

test("emulators die with an owner that calls process.exit", () => ownerDies("process.exit"));
test("emulators die with an owner killed by SIGKILL", () => ownerDies("SIGKILL"));

test.run();
