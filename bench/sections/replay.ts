/**
 * Section 8, replay: the archive of a 1,000-truck fleet read back into a
 * fresh table by the replay engine (`tools/replay`: objects from s3rver,
 * gunzip, decode, reduce in memory, one conditional write per truck), side
 * by side with what public replay tools do: put the archive back on the
 * stream so that the function processes it again, which costs one write per
 * truck per batch. The archive is written straight into the emulator
 * (kinesis-mock is too slow to fill); the baseline runs the handler's own
 * `processBatch` on batches of 100 over two shards, without the stream
 * (which would only slow it down), on a sample of the events: its cost is
 * per event, so the sample's rates are the whole run's.
 *
 * @module
 */

import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { S3Client } from "@aws-sdk/client-s3";
import { dynamoClient, s3Client } from "../../aws/clients.ts";
import { startDynalite } from "../../aws/emulators/dynalite.ts";
import { startS3rver } from "../../aws/emulators/s3rver.ts";
import { writeArchiveObject } from "../../aws/firehose.ts";
import { NAMES } from "../../aws/names.ts";
import { createBucket, createTable } from "../../aws/resources.ts";
import { readTable } from "../../aws/table.ts";
import type { OopsEvent } from "../../core/mod.ts";
import { expectedTable } from "../../core/testing/oracle.ts";
import { readTruth } from "../../tools/replay/truth.ts";
import { writeTruth } from "../../tools/replay/write.ts";
import { assertSameTable } from "../same_table.ts";
import { fleetEvents, prng } from "../scale_model.ts";
import type { Report, RunOptions, Section } from "../section.ts";
import { int, num, times } from "../stats.ts";
import { strategy } from "../strategies.ts";
import { feed, shardBatches } from "../streams.ts";
import { renderTable } from "../table.ts";

const BUCKET = "oops-events-archive-bench";
/** Records per archive object: about what a 5 MB Firehose buffer holds of these events. */
const PER_OBJECT = 20_000;

export interface ReplayFigures {
  readonly events: number;
  readonly trucks: number;
  readonly objects: number;
  readonly archiveMiB: number;
  readonly seconds: number;
  readonly eventsPerSecond: number;
  readonly writeRequests: number;
  readonly writesPer1000: number;
  /** The re-put baseline, on `baselineEvents` of the same events. */
  readonly baselineEvents: number;
  readonly baselineEventsPerSecond: number;
  readonly baselineWritesPer1000: number;
}

const utf8 = new TextEncoder();

/** The fleet's events as archive objects, an hour apart, straight into the bucket. */
async function writeArchive(s3: S3Client, events: readonly OopsEvent[]): Promise<number> {
  let bytes = 0;
  for (let i = 0; i < events.length; i += PER_OBJECT) {
    const records = events.slice(i, i + PER_OBJECT).map((e) => utf8.encode(JSON.stringify(e)));
    const arrival = Date.UTC(2026, 0, 1) + (i / PER_OBJECT) * 3_600_000;
    bytes += (await writeArchiveObject(s3, BUCKET, NAMES.deliveryStream, records, arrival)).bytes;
  }
  return bytes;
}

/** The replay engine, archive to table: seconds and write requests. */
async function replayed(s3: S3Client, dynamo: DynamoDBClient, table: string) {
  const started = performance.now();
  const tally = await readTruth({ s3, bucket: BUCKET, window: {} });
  const written = await writeTruth(dynamo, table, tally.rows.values());
  return { seconds: (performance.now() - started) / 1000, writeRequests: written.writeRequests };
}

/** The baseline on `sample`: the function fed the events again, batches of 100 on two shards. */
async function reput(
  dynamo: DynamoDBClient,
  table: string,
  sample: readonly OopsEvent[],
  seed: number,
) {
  const ours = strategy("ours", { dynamo, tableName: table });
  const shards = shardBatches(sample, { shards: 2, batchSize: 100, seed });
  const stream = { name: "forward" as const, events: sample, shards };
  const started = performance.now();
  await feed(stream, (records, shard) => ours.write(records, shard));
  const seconds = (performance.now() - started) / 1000;
  return { seconds, writeRequests: ours.reported?.().writeRequests ?? 0 };
}

/** Replays `count` events of a `trucks`-truck fleet, and the baseline on `sample` of them. */
export async function measureReplay(count: number, trucks: number, sample: number, seed: number) {
  const events = [...fleetEvents(trucks, count, prng(seed))];
  const [s3rver, dynalite] = await Promise.all([startS3rver(), startDynalite()]);
  const s3 = s3Client(s3rver.endpoint);
  const dynamo = dynamoClient(dynalite.endpoint);
  try {
    await createBucket(s3, BUCKET);
    await Promise.all(["replayed", "reput"].map((table) => createTable(dynamo, table)));
    const bytes = await writeArchive(s3, events);
    const ours = await replayed(s3, dynamo, "replayed");
    assertSameTable(
      "replay: the replayed table is not the oracle's table of the archive",
      await readTable(dynamo, "replayed"),
      expectedTable(events),
    );
    const baseline = await reput(dynamo, "reput", events.slice(0, sample), seed);
    return figures(count, trucks, bytes, ours, sample, baseline);
  } finally {
    s3.destroy();
    dynamo.destroy();
    await Promise.all([s3rver.stop(), dynalite.stop()]);
  }
}

type Run = { seconds: number; writeRequests: number };

function figures(
  count: number,
  trucks: number,
  bytes: number,
  ours: Run,
  sample: number,
  baseline: Run,
): ReplayFigures {
  return {
    events: count,
    trucks,
    objects: Math.ceil(count / PER_OBJECT),
    archiveMiB: bytes / 2 ** 20,
    seconds: ours.seconds,
    eventsPerSecond: count / ours.seconds,
    writeRequests: ours.writeRequests,
    writesPer1000: (ours.writeRequests * 1000) / count,
    baselineEvents: sample,
    baselineEventsPerSecond: sample / baseline.seconds,
    baselineWritesPer1000: (baseline.writeRequests * 1000) / sample,
  };
}

/** The section's table and goals. */
export function replayReport(f: ReplayFigures): Report {
  const text = [
    `${int(f.events)} archived events of ${int(f.trucks)} trucks in ${f.objects} gzipped objects ` +
      `(${num(f.archiveMiB)} MiB) in s3rver, replayed into a fresh dynalite table`,
    renderTable(
      ["strategy", "events/s", "writes / 1,000 events", "write requests"],
      [
        [
          "replay engine (one write per truck)",
          int(f.eventsPerSecond),
          num(f.writesPer1000, 3),
          int(f.writeRequests),
        ],
        [
          `re-put on the stream (baseline, ${int(f.baselineEvents)} events)`,
          int(f.baselineEventsPerSecond),
          num(f.baselineWritesPer1000),
          `~${int((f.baselineWritesPer1000 * f.events) / 1000)} for all`,
        ],
        [
          "ratio engine / baseline",
          times(f.eventsPerSecond / f.baselineEventsPerSecond),
          times(f.writesPer1000 / f.baselineWritesPer1000),
          "",
        ],
      ],
    ),
    "the baseline leaves out the stream itself (PutRecords, the mapping's polling): it would only be slower.",
  ].join("\n");
  return {
    figures: f,
    text,
    goals: [
      {
        // Writes cost per truck, reading per event: only the full run says anything (quick: not met).
        name: "replay of 1,000,000 archived events ≤ 60 s",
        value: `${num(f.seconds)} s for ${int(f.events)} events`,
        met: f.events >= 1_000_000 && f.seconds <= 60,
      },
      {
        name: "replay write requests = trucks",
        value: `${int(f.writeRequests)} for ${int(f.trucks)}`,
        met: f.writeRequests === f.trucks,
      },
    ],
  };
}

export const replaySection: Section = {
  name: "replay",
  title: "8. Replay: the archive back into a table, against re-putting it on the stream",
  emulators: true,
  run: async ({ quick, seed }: RunOptions) =>
    replayReport(
      quick
        ? await measureReplay(20_000, 1_000, 1_000, seed)
        : await measureReplay(1_000_000, 1_000, 5_000, seed),
    ),
};
