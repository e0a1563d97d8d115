/**
 * `make local` itself, end to end, as a user runs it: the real command on
 * free ports, until the generator's trucks are in the table, the dashboard
 * serves them and the archive holds every record put on the stream, byte
 * for byte; then Ctrl-C, after which nothing it started is left: exit 0,
 * the stack file gone, every port free again.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { PutRecordsCommand } from "@aws-sdk/client-kinesis";
import type { S3Client } from "@aws-sdk/client-s3";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { dynamoClient, kinesisClient, s3Client } from "../../aws/clients.ts";
import { assertPortFree, freePort } from "../../aws/emulators/ports.ts";
import { NAMES } from "../../aws/names.ts";
import { readStream } from "../../aws/stream.ts";
import { readTable } from "../../aws/table.ts";
import { moves } from "../../core/testing/events.ts";
import { listArchive, readArchiveObject } from "../replay/archive.ts";
import { readStack, type Stack } from "../stack.ts";
import { type Cli, cliEnv, startCli } from "../testing.ts";

const MAIN = fileURLToPath(new URL("./main.ts", import.meta.url));
const CHAPTER_EVENT = moves(
  "1HGCM82633A004352",
  33207,
  "2018-01-12T12:42:00Z",
  [51.522834, -0.081813],
);

/** Distinct free ports for kinesis-mock, dynalite, s3rver and the dashboard. */
async function fourPorts(): Promise<[number, number, number, number]> {
  const ports = new Set<number>();
  while (ports.size < 4) ports.add(await freePort());
  return [...ports] as [number, number, number, number];
}

const utf8 = new TextDecoder();

/** Every line of every object in the archive. */
async function archivedLines(s3: S3Client, bucket: string): Promise<string[]> {
  const lines: string[] = [];
  for (const { key } of await listArchive(s3, bucket, {})) {
    const read = await readArchiveObject(s3, bucket, key);
    if ("problem" in read) throw new Error(`${key}: ${read.problem}`);
    const text = utf8.decode(read.bytes);
    assert.ok(text.endsWith("\n"), `${key}: every record ends with a newline`);
    lines.push(...text.slice(0, -1).split("\n"));
  }
  return lines;
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

/**
 * Puts a pretty-printed record (newlines in it) and one that is not JSON,
 * then waits until every record on the stream is in the archive, byte for
 * byte (a record spans lines when it holds newlines).
 */
async function archiveHoldsTheStream(stack: Stack) {
  const kinesis = kinesisClient(stack.kinesisEndpoint);
  const s3 = s3Client(stack.s3Endpoint);
  try {
    const odd = [JSON.stringify(CHAPTER_EVENT, null, 2), "not json"];
    await kinesis.send(
      new PutRecordsCommand({
        StreamName: NAMES.stream,
        Records: odd.map((text) => ({ Data: new TextEncoder().encode(text), PartitionKey: text })),
      }),
    );
    const onStream = (await readStream(kinesis, NAMES.stream)).map((r) => r.text);
    let missing = onStream;
    for (let tries = 0; missing.length > 0 && tries < 100; tries++) {
      const archived = (await archivedLines(s3, stack.archiveBucket)).join("\n");
      missing = onStream.filter((text) => !archived.includes(text));
      await sleep(100);
    }
    assert.equal(missing, [], "records on the stream but not in the archive");
  } finally {
    kinesis.destroy();
    s3.destroy();
  }
}

test("make local runs the pipeline, and Ctrl-C leaves nothing behind", async () => {
  const ports = await fourPorts();
  const [kinesisPort, dynamodbPort, s3Port, dashboardPort] = ports;
  const args = [
    ...["--kinesis-port", String(kinesisPort), "--dynamodb-port", String(dynamodbPort)],
    ...["--s3-port", String(s3Port)],
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
    // The header's figures come from the function's batch lines, through the mapping's output.
    await cli.waitFor(
      /\nlast \d+ s: \d+\.\d events\/s · 0 rejected \(0\.0 %\) · \d\.\d\d writes\/event · freshness median/,
      30_000,
    );
  } finally {
    dynamo.destroy();
  }
  const served = await fetch(`${stack?.dashboardUrl}api/trucks`);
  assert.is(served.status, 200);
  assert.is(((await served.json()) as { trucks: unknown[] }).trucks.length, 3);

  await archiveHoldsTheStream(stack as Stack);

  cli.child.kill("SIGINT");
  const { code, stdout } = await cli.done;
  assert.is(code, 0, stdout);
  assert.match(
    stdout,
    /stopped kinesis-mock \(pid \d+\), dynalite \(pid \d+\) and s3rver \(pid \d+\)/,
  );
  assert.is(await readStack(join(stateDir, "stack.json")), undefined, "stack file removed");
  for (const port of ports) await assertPortFree(port);
});

test.run();
