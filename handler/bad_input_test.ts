/**
 * Bad records mixed into good batches, end to end through the bundle with a
 * rejects stream on kinesis-mock: nothing throws, no batch fails, the good
 * records land, and every bad record is on the rejects stream with its
 * original bytes and its reason.
 */
import fc from "fast-check";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { type Sandbox, startSandbox } from "../aws/emulators/sandbox.ts";
import type { Handler } from "../aws/lambda/bundle.ts";
import {
  kinesisEvent,
  lambdaContext,
  type Payload,
  recordsOf,
  sequencer,
} from "../aws/lambda/event.ts";
import { type Captured, captureLogs } from "../aws/lambda/logs.ts";
import { NAMES } from "../aws/names.ts";
import { type Tail, tailStream } from "../aws/stream.ts";
import { clearTable, readTable } from "../aws/table.ts";
import { decode } from "../core/mod.ts";
import { event, VINS } from "../core/testing/arbitraries.ts";
import { moves, TRUCKS } from "../core/testing/events.ts";
import { oracleTable } from "../core/testing/oracle.ts";
import { check } from "../core/testing/property.ts";
import type { Envelope } from "./rejects.ts";

let sandbox: Sandbox;
let handler: Handler;
let rejects: Tail;
let logs: Captured;

test.before(async () => {
  sandbox = await startSandbox({ rejects: true });
  logs = captureLogs();
  rejects = await tailStream(
    sandbox.kinesis as NonNullable<Sandbox["kinesis"]>,
    NAMES.rejectsStream,
  );
});

test.after(async () => {
  logs?.restore();
  await sandbox?.stop();
});

const HERE = [51.522834, -0.081813] as const;
const good = moves(TRUCKS[0], 33207, "2018-01-12T12:42:00.000Z", HERE);
const goodJson = JSON.stringify(good);

/** Records that must be rejected, one reason each. */
const HAND_PICKED: Payload[] = [
  "",
  " ",
  "null",
  "[]",
  "{}",
  "42",
  '"TRUCK_ARRIVES"',
  goodJson.slice(0, -1),
  `${goodJson}${goodJson}`,
  new Uint8Array([0xc3, 0x28]),
  new Uint8Array([0xff, 0xfe, 0x7b, 0x00]),
  new Uint8Array([0xef, 0xbb, 0xbf, ...Buffer.from(goodJson)]),
  goodJson.replace('"mileage":33207', '"mileage":-3,"mileage":33207'),
  goodJson.replace('"vin"', '"v\\u0069n":"1HGCM82633A004352","vin"'),
  goodJson.replace("51.522834", "1e-200"),
  goodJson.replace("-0.081813", "-5e-324"),
  goodJson.replace('"elevation":7', '"elevation":1e300'),
  goodJson.replace("33207", "-3"),
  goodJson.replace("33207", "332.07"),
  goodJson.replace("33207", '"33207"'),
  goodJson.replace("33207", "1e400"),
  goodJson.replace("1HGCM82633A004352", "1HGCM82633A00435I"),
  goodJson.replace("51.522834", "90.000001"),
  goodJson.replace("2018-01-12T12:42:00.000Z", "2018-02-30T12:42:00Z"),
  goodJson.replace("2018-01-12T12:42:00.000Z", "2018-01-12 12:42:00"),
  goodJson.replace('"TRUCK_DEPARTS"', '"truck_departs"'),
  goodJson.replace("}}", ',"colour":"brown"}}'),
  goodJson.replace('"event"', '"__proto__":{},"event"'),
  `${"[".repeat(100_000)}${"]".repeat(100_000)}`,
  " ".repeat(512 * 1024),
];

/** A valid event with one field replaced, removed or added, at any depth. */
const mutated = fc
  .tuple(event(), fc.jsonValue(), fc.nat(), fc.constantFrom("replace", "remove", "add"))
  .map(([e, value, pick, how]) => {
    const copy = structuredClone(e) as unknown as Record<string, unknown>;
    const objects: Record<string, unknown>[] = [copy];
    for (const v of Object.values(copy))
      if (v && typeof v === "object") objects.push(v as Record<string, unknown>);
    const target = objects[pick % objects.length] as Record<string, unknown>;
    const keys = Object.keys(target);
    const key = how === "add" ? "extra" : (keys[pick % keys.length] as string);
    if (how === "remove") delete target[key];
    else target[key] = value;
    return JSON.stringify(copy);
  });

const bad: fc.Arbitrary<Payload> = fc.oneof(
  fc.constantFrom(...HAND_PICKED),
  fc.uint8Array({ maxLength: 64 }),
  fc.string({ unit: "binary", maxLength: 64 }),
  fc.json(),
  mutated,
);

/** Sends `payloads` in batches of `size`, all at once, and checks what the design card promises. */
async function deliver(payloads: readonly Payload[], size: number): Promise<void> {
  const records = recordsOf(payloads, sequencer());
  const batches = Array.from({ length: Math.ceil(records.length / size) }, (_, i) =>
    kinesisEvent(records.slice(i * size, (i + 1) * size)),
  );
  const responses = await Promise.all(batches.map((batch) => handler(batch, lambdaContext())));
  for (const response of responses) assert.equal(response, { batchItemFailures: [] });
  // Valid is what core decodes; the oracle says what the valid ones make of the table.
  const results = records.map((r) => decode(Buffer.from(r.kinesis.data, "base64")));
  const valid = results.flatMap((r) => (r.ok ? [r.event] : []));
  assert.equal(await readTable(sandbox.dynamo, NAMES.table), oracleTable(valid));
  const onStream = new Map(
    (await rejects.next()).map(({ text }) => {
      const e = JSON.parse(text) as Envelope;
      return [e.sequenceNumber, e];
    }),
  );
  for (const [i, result] of results.entries()) {
    if (result.ok) continue;
    const record = records[i]?.kinesis;
    const found = onStream.get(record?.sequenceNumber ?? "");
    assert.ok(found, `reject ${i} is not on the rejects stream`);
    assert.equal(
      [found.data, found.reason, found.path],
      [record?.data, result.reason, result.path],
    );
  }
  assert.is(onStream.size, results.filter((r) => !r.ok).length);
}

/**
 * An empty table and a new container for it: emptying the table deletes
 * items behind the back of a warm container, whose floor would then skip
 * the trucks it remembers.
 */
async function emptyTable() {
  await clearTable(sandbox.dynamo, NAMES.table, VINS);
  handler = await sandbox.load();
}

test("hand-picked bad records among good ones: all rejected with a reason, none blocks", async () => {
  await emptyTable();
  const payloads = HAND_PICKED.flatMap((p, i) => [
    p,
    moves(TRUCKS[i % 3] as string, i, good.timestamp, HERE),
  ]);
  await deliver(payloads, 16);
  const counted = logs.summaries().map((s) => s.rejected as number);
  assert.is(
    counted.reduce((a, b) => a + b, 0),
    HAND_PICKED.length,
  );
});

test("fuzzed records mixed into good batches never throw, never block, never get lost", async () => {
  const mixes = fc
    .tuple(fc.array(event(), { maxLength: 12 }), fc.array(bad, { minLength: 1, maxLength: 8 }))
    .chain(([events, junk]) =>
      fc.tuple(
        fc.shuffledSubarray<Payload>([...events, ...junk], {
          minLength: events.length + junk.length,
          maxLength: events.length + junk.length,
        }),
        fc.integer({ min: 4, max: 20 }),
      ),
    );
  await check(
    fc.asyncProperty(mixes, async ([payloads, size]) => {
      await emptyTable();
      await deliver(payloads, size);
    }),
    30,
  );
});

test.run();
