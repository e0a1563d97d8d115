/**
 * The chapter's figure 11.2 (a release with a bug breaks the table for
 * good) undone, end to end on the local stack: `make local` runs, the
 * generator keeps putting events, a buggy release is simulated by writing
 * wrong values into the live table (a mileage far too high, a location from
 * the future), and `make rebuild` runs in the middle of it all. Afterwards
 * the active table equals the oracle over every event ever put, those put
 * during the rebuild and the switch included; `make status` and the
 * dashboard read the new table; the old table is left as it was, until
 * `make drop-table` drops it (never the active one).
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { type DynamoDBClient, ListTablesCommand } from "@aws-sdk/client-dynamodb";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { dynamoClient, kinesisClient } from "../../aws/clients.ts";
import { freePort } from "../../aws/emulators/ports.ts";
import { untilCaughtUp } from "../../aws/lambda/checkpoints.ts";
import { NAMES } from "../../aws/names.ts";
import { readStream } from "../../aws/stream.ts";
import { putItems, readTable } from "../../aws/table.ts";
import { decode, type Item } from "../../core/mod.ts";
import { oracleTable } from "../../core/testing/oracle.ts";
import { readStack, type Stack } from "../stack.ts";
import { type Cli, cliEnv, runCli, startCli } from "../testing.ts";

const script = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const LOCAL = script("../local/main.ts");
const GENERATE = script("../generate/main.ts");
const REBUILD = script("./main.ts");
const STATUS = script("../status.ts");
const DROP = script("./drop.ts");

const WRONG_MILEAGE = 9_999_999;
const FUTURE = "2099-01-01T00:00:00.000Z";

let stateDir = "";
const running: Cli[] = [];

test.before(async () => {
  stateDir = await mkdtemp(join(tmpdir(), "oops-rebuild-"));
});

test.after(async () => {
  for (const cli of running) if (cli.child.exitCode === null) cli.child.kill("SIGKILL");
  await rm(stateDir, { recursive: true, force: true });
});

/** `make local` on free ports, without its own generator (the test runs one it can stop). */
async function startLocal(): Promise<Stack> {
  const ports = new Set<number>();
  while (ports.size < 4) ports.add(await freePort());
  const [k, d, s, w] = [...ports].map(String) as [string, string, string, string];
  const args = ["--kinesis-port", k, "--dynamodb-port", d, "--s3-port", s, "--dashboard-port", w];
  const local = startCli(
    LOCAL,
    [...args, "--no-generator", "--plain", "--state-dir", stateDir],
    cliEnv({}),
  );
  running.push(local);
  await local.waitFor(/ready in/, 60_000);
  return (await readStack(join(stateDir, "stack.json"))) as Stack;
}

/** The environment the other terminals' tools get: `make local`'s stack, found in its state directory. */
const toolEnv = (stack: Stack) =>
  cliEnv({
    AWS_ENDPOINT_URL_KINESIS: stack.kinesisEndpoint,
    AWS_ENDPOINT_URL_DYNAMODB: stack.dynamodbEndpoint,
    AWS_ENDPOINT_URL_S3: stack.s3Endpoint,
    ARCHIVE_BUCKET: stack.archiveBucket,
  });

/** Polls until `table` holds the three trucks. */
async function untilTrucks(stack: Stack, table: string): Promise<Item[]> {
  const dynamo = dynamoClient(stack.dynamodbEndpoint);
  try {
    for (let tries = 0; tries < 300; tries++) {
      const items = await readTable(dynamo, table);
      if (items.length === 3) return items;
      await sleep(100);
    }
    throw new Error(`${table} never held the three trucks`);
  } finally {
    dynamo.destroy();
  }
}

/** The oracle's table of every valid record ever put on the stream. */
async function truthOfTheStream(stack: Stack): Promise<Item[]> {
  const kinesis = kinesisClient(stack.kinesisEndpoint);
  try {
    const records = await readStream(kinesis, NAMES.stream);
    return oracleTable(
      records.flatMap((r) => {
        const result = decode(r.data);
        return result.ok ? [result.event] : [];
      }),
    );
  } finally {
    kinesis.destroy();
  }
}

/** The stack file, `make status` (finding the stack as another terminal would) and the dashboard read `table`. */
async function readersFollow(stack: Stack, table: string) {
  assert.is((await readStack(join(stateDir, "stack.json")))?.table, table);
  const status = await runCli(STATUS, ["--json"], cliEnv({ LOCAL_STATE_DIR: stateDir }));
  assert.is(status.code, 0, status.stderr);
  const dashboard = await (await fetch(`${stack.dashboardUrl}api/trucks`)).text();
  for (const shown of [status.stdout, dashboard]) {
    assert.match(shown, "1HGCM82633A004352");
    assert.not.match(shown, String(WRONG_MILEAGE));
    assert.not.match(shown, "2099-01-01");
  }
}

/** Only its own command drops the old table, and never the active one. */
async function dropOnlyTheOld(dynamo: DynamoDBClient, table: string) {
  const env = cliEnv({ LOCAL_STATE_DIR: stateDir });
  const active = await runCli(DROP, ["--table", table], env);
  const refusal = `drop-table: ${table} is the active table: rebuild into another one first`;
  assert.equal([active.code, active.stderr.trim()], [1, refusal]);
  const old = await runCli(DROP, ["--table", NAMES.table], env);
  assert.is(old.code, 0, old.stderr);
  assert.equal((await dynamo.send(new ListTablesCommand({}))).TableNames, [table]);
}

test("figure 11.2 undone: make rebuild while events flow gives the oracle's table, readers follow", async () => {
  const stack = await startLocal();
  const env = toolEnv(stack);
  const generator = startCli(
    GENERATE,
    ["--rate", "40", "--seed", "3", "--stream", NAMES.stream],
    env,
  );
  running.push(generator);
  const [a, , c] = await untilTrucks(stack, NAMES.table);
  // The buggy release: values no event ever said, which live processing can never lower.
  const dynamo = dynamoClient(stack.dynamodbEndpoint);
  await putItems(dynamo, NAMES.table, [
    { ...a, mileage: WRONG_MILEAGE },
    { ...c, "location-timestamp": FUTURE },
  ]);

  // As in another terminal: make rebuild finds the running stack by its state directory.
  const rebuilt = await runCli(REBUILD, [], cliEnv({ LOCAL_STATE_DIR: stateDir }));
  assert.is(rebuilt.code, 0, rebuilt.stdout + rebuilt.stderr);
  const table = /done: (\S+) is the active table/.exec(rebuilt.stdout)?.[1] as string;
  assert.match(table, /^oops-trucks-\d{8}t\d{6}$/);
  assert.match(
    rebuilt.stdout,
    new RegExp(`mileage\\s+${WRONG_MILEAGE}`),
    "the correction is shown",
  );
  const oldAtSwitch = await readTable(dynamo, NAMES.table);

  await readersFollow(stack, table);

  await sleep(1_500); // more events after the switch
  generator.child.kill("SIGINT");
  assert.is((await generator.done).code, 0);
  const kinesis = kinesisClient(stack.kinesisEndpoint);
  await untilCaughtUp(kinesis, NAMES.stream, stateDir, 30_000);
  kinesis.destroy();
  assert.equal(await readTable(dynamo, table), await truthOfTheStream(stack));
  assert.equal(
    await readTable(dynamo, NAMES.table),
    oldAtSwitch,
    "the old table is left as it was",
  );

  await dropOnlyTheOld(dynamo, table);
  dynamo.destroy();
});

test.run();
