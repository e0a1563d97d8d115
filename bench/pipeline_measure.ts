/**
 * Figures of the local pipeline, for the bench's pipeline section:
 * - ready: emulators, resources and a polling mapping, started as `make local` does;
 * - ingest: PutRecords into kinesis-mock, as fast as it takes them;
 * - throughput: a backlog of events drained by the mapping (GetRecords, the
 *   bundle, conditional writes into dynalite), i.e. what the pipeline can
 *   process, independent of how fast kinesis-mock ingests;
 * - freshness: one event put → its row updated, sampled by concurrent
 *   probes on trucks of their own while the pipeline is idle.
 *
 * @module
 */

import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type DynamoDBClient, GetItemCommand } from "@aws-sdk/client-dynamodb";
import type { KinesisClient } from "@aws-sdk/client-kinesis";
import { type Emulators, startEmulators } from "../aws/emulators/emulators.ts";
import { freePort } from "../aws/emulators/ports.ts";
import { untilCaughtUp } from "../aws/lambda/checkpoints.ts";
import { NAMES } from "../aws/names.ts";
import { createResources } from "../aws/resources.ts";
import type { OopsEvent } from "../core/mod.ts";
import { putEvents } from "../tools/generate/put.ts";
import { events } from "../tools/generate/world.ts";
import type { Child } from "../tools/local/child.ts";
import {
  type MappingTarget,
  spawnMapping,
  startMappingProcess,
} from "../tools/local/mapping_process.ts";
import { parseProgress } from "../tools/local/progress.ts";
import { percentile } from "./stats.ts";

export interface PipelineFigures {
  readonly readyMs: number;
  readonly putPerSecond: number;
  readonly eventsPerSecond: number;
  readonly freshnessP50Ms: number;
  readonly freshnessP99Ms: number;
  readonly freshnessMaxMs: number;
  readonly samples: number;
}

async function within(work: Promise<void>, ms: number, what: string): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took over ${ms} ms`)), ms);
  });
  await Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/** How often a probe reads its row: fine enough for a 1 s goal, light enough not to load dynalite. */
const POLL_MS = 20;

/** A probe's truck: 17 characters of the VIN alphabet, apart from the world's three. */
const probeVin = (probe: number) => `FRESHTRVCK${String(probe).padStart(7, "0")}`;

const departs = (vin: string, mileage: number): OopsEvent => ({
  event: "TRUCK_DEPARTS",
  timestamp: new Date(Date.UTC(2020, 0, 1) + mileage * 60_000).toISOString(),
  vehicle: { vin, mileage },
  location: { latitude: 51.5, longitude: -0.12, elevation: 10 },
});

/**
 * Put → row latencies: `probes` concurrent probes, each on a truck of its
 * own, put one event and poll the row until it shows it, then the next.
 */
async function probeFreshness(
  kinesis: KinesisClient,
  dynamo: DynamoDBClient,
  samples: number,
  probes: number,
): Promise<number[]> {
  const latencies: number[] = [];
  await Promise.all(
    Array.from({ length: probes }, async (_, probe) => {
      const vin = probeVin(probe);
      for (let mileage = 1; mileage <= Math.ceil(samples / probes); mileage++) {
        const put = performance.now();
        await putEvents(kinesis, NAMES.stream, [departs(vin, mileage)]);
        const key = { vin: { S: vin } };
        for (;;) {
          const { Item } = await dynamo.send(
            new GetItemCommand({ TableName: NAMES.table, Key: key, ConsistentRead: true }),
          );
          if (Number(Item?.mileage?.N ?? 0) >= mileage) break;
          await new Promise((resolve) => setTimeout(resolve, POLL_MS));
        }
        latencies.push(performance.now() - put);
      }
    }),
  );
  return latencies;
}

/** Measures a fresh local stack; everything it starts is stopped before it resolves. */
export async function measurePipeline(
  options: { events?: number; samples?: number; probes?: number } = {},
): Promise<PipelineFigures> {
  const count = options.events ?? 20_000;
  const samples = options.samples ?? 200;
  const probes = options.probes ?? 2;
  const stateDir = await mkdtemp(join(tmpdir(), "oops-measure-"));
  // As `make local` does: the mapping boots while the emulators start, on ports known up front.
  const ports = await emulatorPorts();
  const target = {
    kinesisEndpoint: `http://127.0.0.1:${ports.kinesisPort}`,
    dynamodbEndpoint: `http://127.0.0.1:${ports.dynamodbPort}`,
    stateDir,
    progressMs: 100,
  };
  const started = performance.now();
  const first = spawnMapping(target, { readyTimeoutMs: 30_000 });
  let mapping: Child | undefined = first.child;
  let emulators: Emulators | undefined;
  try {
    emulators = await startEmulators(ports);
    const { kinesisClient: kinesis, dynamoClient: dynamo } = emulators;
    await createResources({ kinesis, dynamo });
    await first.ready;
    const readyMs = performance.now() - started;
    // Freshness first, while the stream is small: kinesis-mock's PutRecords slows down as its
    // streams grow (see the README's Performance notes), and the figure should be the pipeline's.
    const latencies = await probeFreshness(kinesis, dynamo, samples, probes);
    await mapping.stop();

    const putPerSecond = await putBacklog(kinesis, count);
    const drain = await startDrainingMapping(target, count);
    mapping = drain.mapping;
    const drainStart = performance.now();
    await within(drain.drained, 300_000, "draining the backlog");
    const eventsPerSecond = count / ((performance.now() - drainStart) / 1000);
    await untilCaughtUp(kinesis, NAMES.stream, stateDir, 30_000);
    return rounded({ readyMs, putPerSecond, eventsPerSecond }, latencies);
  } finally {
    await mapping?.stop();
    await emulators?.stop();
    await rm(stateDir, { recursive: true, force: true });
  }
}

/** The figures as reported: whole numbers, and the freshness latencies as percentiles. */
function rounded(
  measured: { readyMs: number; putPerSecond: number; eventsPerSecond: number },
  latencies: readonly number[],
): PipelineFigures {
  return {
    readyMs: Math.round(measured.readyMs),
    putPerSecond: Math.round(measured.putPerSecond),
    eventsPerSecond: Math.round(measured.eventsPerSecond),
    freshnessP50Ms: Math.round(percentile(latencies, 50)),
    freshnessP99Ms: Math.round(percentile(latencies, 99)),
    freshnessMaxMs: Math.round(Math.max(...latencies)),
    samples: latencies.length,
  };
}

/** Two distinct free ports, one for kinesis-mock and one for dynalite. */
async function emulatorPorts(): Promise<{ kinesisPort: number; dynamodbPort: number }> {
  const kinesisPort = await freePort();
  let dynamodbPort = await freePort();
  while (dynamodbPort === kinesisPort) dynamodbPort = await freePort();
  return { kinesisPort, dynamodbPort };
}

/** Puts `count` generated events as fast as kinesis-mock takes them; events per second. */
async function putBacklog(kinesis: KinesisClient, count: number): Promise<number> {
  const backlog = [...events({ seed: 7, count })];
  const putStart = performance.now();
  await putEvents(kinesis, NAMES.stream, backlog);
  return count / ((performance.now() - putStart) / 1000);
}

/** A mapping process whose `drained` resolves once its progress lines count `count` records. */
async function startDrainingMapping(
  target: MappingTarget,
  count: number,
): Promise<{ mapping: Child; drained: Promise<void> }> {
  let processed = 0;
  let resolveDrained: () => void = () => {};
  const drained = new Promise<void>((resolve) => {
    resolveDrained = resolve;
  });
  const onLine = (line: string) => {
    processed = parseProgress(line)?.records ?? processed;
    if (processed >= count) resolveDrained();
  };
  return { mapping: await startMappingProcess(target, { onLine }), drained };
}
