/**
 * `make replay` and `make diff` against an archive in s3rver and tables in
 * dynalite, run as a user runs them (the CLIs, pointed at the emulators by
 * the SDK's endpoint variables): a replay into a fresh table gives the
 * oracle's table of the archived events, a second replay changes nothing
 * and costs a write per truck at most, bad objects are reported and never
 * fatal, a table broken behind the pipeline's back is diffed exactly, and a
 * missing bucket or table is one line and exit 1.
 */
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { s3Client } from "../../aws/clients.ts";
import { type Emulators, startEmulators } from "../../aws/emulators/emulators.ts";
import { writeArchiveObject } from "../../aws/firehose.ts";
import { NAMES } from "../../aws/names.ts";
import { createBucket, createTable } from "../../aws/resources.ts";
import { putItems, readTable } from "../../aws/table.ts";
import { objectKey } from "../../core/archive.ts";
import type { OopsEvent } from "../../core/mod.ts";
import { expectedTable } from "../../core/testing/oracle.ts";
import { events } from "../generate/world.ts";
import { cliEnv, runCli } from "../testing.ts";

const REPLAY = fileURLToPath(new URL("./main.ts", import.meta.url));
const DIFF = fileURLToPath(new URL("../diff.ts", import.meta.url));
const BUCKET = "oops-events-archive-000000000000-us-east-1";
const HOUR = 3_600_000;
const START = Date.UTC(2026, 11, 1, 8);

let emulators: Emulators;
let s3: S3Client;
let tables = 0;

const utf8 = new TextEncoder();
const world: OopsEvent[] = [...events({ seed: 5, count: 900 })];

/** The environment a user would set to point the tools at these emulators. */
const env = (table: string) =>
  cliEnv({
    AWS_ENDPOINT_URL_S3: emulators.s3rver?.endpoint ?? "",
    AWS_ENDPOINT_URL_DYNAMODB: emulators.dynalite.endpoint,
    AWS_REGION: NAMES.region,
    ARCHIVE_BUCKET: BUCKET,
    TABLE_NAME: table,
  });

async function freshTable(): Promise<string> {
  const table = `replayed-${++tables}`;
  await createTable(emulators.dynamoClient, table);
  return table;
}

/** A gzipped object with exactly these bytes, at `key`. */
const putRaw = (key: string, body: Uint8Array) =>
  s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body }));

test.before(async () => {
  emulators = await startEmulators({ s3Port: 0 });
  s3 = s3Client(emulators.s3rver?.endpoint);
  await createBucket(s3, BUCKET);
  // The world in three hours' objects, the middle hour written twice (an archive may repeat).
  const thirds = [0, 1, 2].map((i) => world.slice(i * 300, (i + 1) * 300));
  for (const [i, third] of [...thirds.entries(), [1, thirds[1]] as const]) {
    const records = (third ?? []).map((e) => utf8.encode(JSON.stringify(e)));
    await writeArchiveObject(s3, BUCKET, NAMES.deliveryStream, records, START + i * HOUR);
  }
  // What a replay must report and survive.
  const late = START + 3 * HOUR;
  await putRaw(objectKey("bad", late, "not-gzip"), utf8.encode("plain text, not gzip"));
  await putRaw(objectKey("bad", late, "lines"), gzipSync(utf8.encode('not json\n{"event":\n')));
  await putRaw("events/year=2026/month=12/day=01/hour=11/notes.txt", utf8.encode("hello"));
});

test.after(async () => {
  s3?.destroy();
  await emulators?.stop();
});

test("a replay into a fresh table gives the oracle's table; bad objects are reported, not fatal", async () => {
  const table = await freshTable();
  const run = await runCli(REPLAY, [], env(table));
  assert.is(run.code, 0, run.stderr);
  assert.equal(await readTable(emulators.dynamoClient, table), expectedTable(world));
  assert.match(
    run.stdout,
    /read 7 objects, 1,202 events .*: 1,200 valid, 2 rejected, 3 trucks/,
    run.stdout,
  );
  assert.match(
    run.stdout,
    /rejected at record: 2, e\.g\.\nreplay: +events\/.*-lines\.gz:1: record: expected one JSON/,
  );
  assert.match(run.stdout, /\.gz:2: record: expected one JSON/, run.stdout);
  assert.match(run.stdout, /unreadable events\/.*-not-gzip\.gz: not gzip/, run.stdout);
  assert.match(
    run.stdout,
    /unreadable events\/year=2026\/month=12\/day=01\/hour=11\/notes\.txt: not an archive object/,
  );
  assert.match(run.stdout, /wrote 3 trucks into replayed-\d+: 3 write requests in/, run.stdout);

  const again = await runCli(REPLAY, [], env(table));
  assert.is(again.code, 0, again.stderr);
  assert.match(again.stdout, /wrote 3 trucks into replayed-\d+: 3 write requests in/);
  assert.equal(await readTable(emulators.dynamoClient, table), expectedTable(world));
});

test("a window replays the objects that may hold its records, and no others", async () => {
  const table = await freshTable();
  // 10:05: a buffer of up to 15 minutes may have put its records in the 09:00 partition.
  const from = new Date(START + 2 * HOUR + 5 * 60_000).toISOString();
  const run = await runCli(REPLAY, ["--from", from, "--to", from], env(table));
  assert.is(run.code, 0, run.stderr);
  // The hour before (written twice) and the window's own hour; not the first hour, nor the bad objects'.
  assert.match(run.stdout, /read 3 objects, 900 events/, run.stdout);
  assert.equal(await readTable(emulators.dynamoClient, table), expectedTable(world.slice(300)));
});

test("diff names exactly the trucks and attributes written behind the pipeline's back", async () => {
  const table = await freshTable();
  assert.is((await runCli(REPLAY, [], env(table))).code, 0);
  assert.match(
    (await runCli(DIFF, [], env(table))).stdout,
    /no differences between replayed-\d+ and the archive/,
  );
  const [a, , c] = expectedTable(world);
  await putItems(emulators.dynamoClient, table, [
    { ...a, mileage: 9_999_999 },
    { ...c, "location-timestamp": "2099-01-01T00:00:00.000Z" },
  ]);
  const run = await runCli(DIFF, ["--exit-code"], env(table));
  assert.is(run.code, 1, "--exit-code: something differs");
  const rows = run.stdout.split("\n").filter((line) => /^ {2}[0-9A-Z]{17} /.test(line));
  assert.equal(
    rows.map((line) => line.trim().split(/\s+/).slice(0, 3)),
    [
      [String(c?.vin), "location-timestamp", "2099-01-01T00:00:00.000Z"],
      [String(a?.vin), "mileage", "9999999"],
    ].sort(),
  );
  const tables = await runCli(DIFF, ["--against", table], env(table));
  assert.match(tables.stdout, /no differences between replayed-\d+ and replayed-\d+/);
});

test("a missing bucket or table: one line saying what to do, exit 1", async () => {
  const noTable = await runCli(REPLAY, [], env("no-such-table"));
  assert.is(noTable.code, 1);
  assert.match(noTable.stderr, /^replay: table no-such-table not found at http.*pass --table\n$/);
  const noBucket = await runCli(REPLAY, ["--bucket", "no-such-bucket"], env(await freshTable()));
  assert.is(noBucket.code, 1);
  assert.match(
    noBucket.stderr,
    /^replay: bucket no-such-bucket not found at http.*pass --bucket\n$/,
  );
});

test.run();
