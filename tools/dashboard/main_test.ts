/** `make dashboard` as a user runs it: a child process over a dynalite table. */
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { dynamoClient } from "../../aws/clients.ts";
import { startDynalite } from "../../aws/emulators/dynalite.ts";
import type { Emulator } from "../../aws/emulators/process.ts";
import { seedTable } from "../../aws/table.ts";
import { CHAPTER_ITEMS } from "../../core/testing/fixtures.ts";
import { cliEnv, runCli, startCli } from "../testing.ts";
import type { TrucksBody } from "./wire.ts";

const MAIN = new URL("./main.ts", import.meta.url).pathname;
/** dynalite with the chapter's table, started by the first test (a failing uvu hook reports nothing). */
let emulator: Promise<{ dynalite: Emulator; dynamo: DynamoDBClient }> | undefined;
const setUp = () => {
  emulator ??= (async () => {
    const dynalite = await startDynalite();
    const dynamo = dynamoClient(dynalite.endpoint);
    await seedTable(dynamo, "cli-trucks", CHAPTER_ITEMS);
    return { dynalite, dynamo };
  })();
  return emulator;
};
test.after(async () => {
  const e = await emulator?.catch(() => undefined);
  e?.dynamo.destroy();
  await e?.dynalite.stop();
});

/** The environment of a user pointing the CLI at the emulator's `table`. */
async function env(table: string) {
  const { dynalite } = await setUp();
  return cliEnv({
    AWS_ENDPOINT_URL_DYNAMODB: dynalite.endpoint,
    AWS_REGION: "us-east-1",
    TABLE_NAME: table,
  });
}

test("prints its URL, serves the table, and stops cleanly on SIGTERM", async () => {
  const cli = startCli(MAIN, ["--port", "0", "--service-interval", "50"], await env("cli-trucks"));
  try {
    await cli.waitFor(/Open http:\/\/127\.0\.0\.1:\d+\/\n/);
    assert.match(
      cli.stdout(),
      `Dashboard of table cli-trucks at ${(await setUp()).dynalite.endpoint}`,
    );
    const url = /Open (\S+)/.exec(cli.stdout())?.[1] as string;
    const body = (await (await fetch(new URL("/api/trucks", url))).json()) as TrucksBody;
    assert.is(body.serviceInterval, 50);
    assert.equal(
      body.trucks.map((t) => t.due),
      [true, false, true],
    );
  } finally {
    cli.child.kill("SIGTERM");
  }
  const { code, stdout } = await cli.done;
  assert.is(code, 0);
  assert.match(stdout, "Stopping (SIGTERM)");
});

test("a table it cannot read is one clear line and exit code 1", async () => {
  const { code, stderr } = await runCli(MAIN, ["--port", "0"], await env("no-such-table"));
  assert.is(code, 1);
  assert.match(stderr, /^dashboard: .*no-such-table/m);
});

test("a bad flag is exit code 2 with the flag named", async () => {
  const { code, stderr } = await runCli(
    MAIN,
    ["--max-connections", "lots"],
    await env("cli-trucks"),
  );
  assert.is(code, 2);
  assert.match(stderr, '--max-connections: expected an integer in 1..1000000, got "lots"');
});

test.run();
