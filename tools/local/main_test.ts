/**
 * `make local` itself, end to end, as a user runs it: the real command on
 * free ports, until the generator's trucks are in the table and the
 * dashboard serves them; then Ctrl-C, after which nothing it started is
 * left: exit 0, the stack file gone, every port free again.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { dynamoClient } from "../../aws/clients.ts";
import { assertPortFree, freePort } from "../../aws/emulators/ports.ts";
import { NAMES } from "../../aws/names.ts";
import { readTable } from "../../aws/table.ts";
import { readStack } from "../stack.ts";
import { type Cli, cliEnv, startCli } from "../testing.ts";

const MAIN = fileURLToPath(new URL("./main.ts", import.meta.url));

/** Distinct free ports for kinesis-mock, dynalite and the dashboard. */
async function threePorts(): Promise<[number, number, number]> {
  const ports = new Set<number>();
  while (ports.size < 3) ports.add(await freePort());
  return [...ports] as [number, number, number];
}

let stateDir = "";
let cli: Cli | undefined;

test.before(async () => {
  stateDir = await mkdtemp(join(tmpdir(), "oops-make-local-"));
});

test.after(async () => {
  if (cli !== undefined && cli.child.exitCode === null) cli.child.kill("SIGKILL");
  await rm(stateDir, { recursive: true, force: true });
});

test("make local runs the pipeline, and Ctrl-C leaves nothing behind", async () => {
  const ports = await threePorts();
  const [kinesisPort, dynamodbPort, dashboardPort] = ports;
  const args = [
    ...["--kinesis-port", String(kinesisPort), "--dynamodb-port", String(dynamodbPort)],
    ...["--dashboard-port", String(dashboardPort), "--rate", "50", "--seed", "4"],
    ...["--state-dir", stateDir, "--plain"],
  ];
  cli = startCli(MAIN, args, cliEnv({}));
  await cli.waitFor(/ready in [\d.]+ s · dashboard http:\/\/127\.0\.0\.1:\d+\//, 60_000);
  const stack = await readStack(join(stateDir, "stack.json"));
  assert.equal(stack?.pid, cli.child.pid, "the stack file names the running stack");

  const dynamo = dynamoClient(stack?.dynamodbEndpoint);
  try {
    let trucks = 0;
    for (let tries = 0; trucks < 3 && tries < 300; tries++) {
      trucks = (await readTable(dynamo, NAMES.table)).length;
      await sleep(100);
    }
    assert.is(trucks, 3, "the generator's three trucks reached the table");
  } finally {
    dynamo.destroy();
  }
  const served = await fetch(`${stack?.dashboardUrl}api/trucks`);
  assert.is(served.status, 200);
  assert.is(((await served.json()) as { trucks: unknown[] }).trucks.length, 3);

  cli.child.kill("SIGINT");
  const { code, stdout } = await cli.done;
  assert.is(code, 0, stdout);
  assert.match(stdout, /stopped kinesis-mock \(pid \d+\) and dynalite \(pid \d+\)/);
  assert.is(await readStack(join(stateDir, "stack.json")), undefined, "stack file removed");
  for (const port of ports) await assertPortFree(port);
});

test.run();
