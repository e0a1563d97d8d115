/**
 * The generator's command line end to end, against kinesis-mock: what it
 * prints, what lands on the stream, Ctrl-C, and the one-line failures.
 */
import { fileURLToPath } from "node:url";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { kinesisClient } from "../../aws/clients.ts";
import { startKinesisMock } from "../../aws/emulators/kinesis_mock.ts";
import { freePort } from "../../aws/emulators/ports.ts";
import type { Emulator } from "../../aws/emulators/process.ts";
import { createStream } from "../../aws/resources.ts";
import { readStream } from "../../aws/stream.ts";
import { cliEnv, runCli, startCli } from "../testing.ts";
import { wroteLine } from "./lines.ts";
import { events } from "./world.ts";

const MAIN = fileURLToPath(new URL("./main.ts", import.meta.url));
const STREAM = "generate-test";

let kinesis: Emulator;
let env: NodeJS.ProcessEnv;
const client = () => kinesisClient(kinesis.endpoint);

test.before(async () => {
  kinesis = await startKinesisMock();
  const c = client();
  await createStream(c, STREAM, 2);
  c.destroy();
  env = cliEnv({ AWS_ENDPOINT_URL_KINESIS: kinesis.endpoint, AWS_REGION: "us-east-1" });
});
test.after(async () => {
  await kinesis?.stop();
});

/** The stream's records, in a canonical order for comparison. */
async function onStream(): Promise<string[]> {
  const c = client();
  try {
    return (await readStream(c, STREAM)).map((record) => record.text).sort();
  } finally {
    c.destroy();
  }
}

test("writes the seeded world's events, one line each, and says where", async () => {
  const before = await onStream();
  const run = await runCli(
    MAIN,
    ["--count", "5", "--rate", "100", "--seed", "7", "--stream", STREAM],
    env,
  );
  assert.is(run.code, 0, run.stderr);
  const expected = [...events({ seed: 7, count: 5 })];
  const lines = run.stdout.trim().split("\n");
  assert.is(lines[0], `Writing to stream ${STREAM} at ${kinesis.endpoint} (from the environment)`);
  assert.is(lines[1], "Seed 7, forward from 2018-01-01 00:00:00 (repeat with --seed 7)");
  assert.equal(lines.slice(2, 7), expected.map(wroteLine));
  assert.match(lines[7] ?? "", /^Done: 5 events in \d+\.\d s/);
  const added = (await onStream()).filter((e) => !before.includes(e));
  assert.equal(added, expected.map((e) => JSON.stringify(e)).sort());
});

test("--rate 0 writes in batches with progress lines instead of one per event", async () => {
  const before = (await onStream()).length;
  const args = ["backwards", "--count", "1234", "--rate", "0", "--stream", STREAM];
  const run = await runCli(MAIN, [...args, "--partition-key", "vin"], env);
  assert.is(run.code, 0, run.stderr);
  assert.not.match(run.stdout, /Wrote \w+ with timestamp/);
  assert.match(run.stdout, /Done: 1234 events in/);
  assert.match(run.stdout, /Seed \d+, backwards from 2018-01-01 00:00:00/);
  assert.is((await onStream()).length, before + 1234);
});

test("Ctrl-C stops cleanly and says how many events were written", async () => {
  const cli = startCli(MAIN, ["--rate", "50", "--stream", STREAM], env);
  try {
    await cli.waitFor(/(Wrote .*\n){3}/);
  } finally {
    cli.child.kill("SIGINT");
  }
  const run = await cli.done;
  assert.is(run.code, 0, run.stderr);
  const written = Number(/Stopped after (\d+) events? in/.exec(run.stdout)?.[1]);
  assert.ok(written >= 3, run.stdout);
  assert.is(run.stdout.match(/^Wrote /gm)?.length, written);
  assert.is(run.stderr, "");
});

test("a missing stream is one line saying what to start, deploy or pass; exit 1", async () => {
  const run = await runCli(MAIN, ["--count", "1", "--stream", "nope"], env);
  assert.is(run.code, 1);
  assert.is(
    run.stderr,
    `generate: stream nope not found at ${kinesis.endpoint} (from the environment): start the ` +
      "local stack with `make local`, or deploy with `make deploy`, or pass --stream\n",
  );
});

test("an endpoint nobody serves is one line naming it; exit 1", async () => {
  const endpoint = `http://127.0.0.1:${await freePort()}`;
  const run = await runCli(MAIN, ["--count", "1"], { ...env, AWS_ENDPOINT_URL_KINESIS: endpoint });
  assert.is(run.code, 1);
  assert.match(
    run.stderr,
    new RegExp(`^generate: cannot reach Kinesis at ${endpoint} .*ECONNREFUSED`),
  );
  assert.is(run.stderr.trim().split("\n").length, 1, run.stderr);
});

test("a bad option is named, with a pointer to --help; exit 2", async () => {
  const run = await runCli(MAIN, ["--rate", "x"], env);
  assert.is(run.code, 2);
  assert.is(
    run.stderr,
    'generate: --rate: expected a number >= 0, got "x"\nRun with --help for the options.\n',
  );
  const help = await runCli(MAIN, ["--help"], env);
  assert.equal([help.code, help.stdout.startsWith("Usage:")], [0, true]);
});

test.run();
