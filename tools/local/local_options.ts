/**
 * Command line of `make local` (`tools/local/main.ts`): flags, then
 * environment variables (so `KINESIS_PORT=4568 make local` works without
 * ARGS), then defaults. Parsed before anything starts, so a typo costs one
 * line and no emulator.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { NAMES } from "../../aws/names.ts";

export interface LocalOptions {
  readonly kinesisPort: number;
  readonly dynamodbPort: number;
  /** s3rver, which holds the archive. */
  readonly s3Port: number;
  /** Undefined: no dashboard. */
  readonly dashboardPort: number | undefined;
  /** Events per second of the forward generator; undefined: no generator. */
  readonly rate: number | undefined;
  readonly seed: number | undefined;
  readonly region: string;
  /** Wipe the state directory (persisted data included) before starting. */
  readonly fresh: boolean;
  /** Keep the emulators' data, and the checkpoints, across runs. */
  readonly persist: boolean;
  readonly stateDir: string;
  /** Redraw the table in place (a terminal) or print it when it changes (a log). */
  readonly live: boolean;
  readonly help: boolean;
}

export const USAGE = `usage: make local [ARGS="options"]
       node --import tsx tools/local/main.ts [options]

Runs the whole pipeline on this machine: kinesis-mock and dynalite on
127.0.0.1, the streams and table Terraform would create, the event source
mapping feeding handler/dist/index.mjs, the forward generator, the dashboard,
and the truck table live in this terminal. Ctrl-C stops all of it.

  --kinesis-port N     kinesis-mock        ($KINESIS_PORT, 4567)
  --dynamodb-port N    dynalite            ($DYNAMODB_PORT, 8000)
  --s3-port N          s3rver, the archive ($S3_PORT, 4568)
  --dashboard-port N   dashboard           ($DASHBOARD_PORT, 8080)
  --no-dashboard       no dashboard
  --rate R             forward generator, events per second (1)
  --seed S             the generator's seed (random, printed in its log)
  --no-generator       no generator: put events yourself (make generate)
  --persist            keep streams, table and checkpoints for the next run
  --fresh              delete .local first (persisted data included)
  --state-dir DIR      state directory ($LOCAL_STATE_DIR, .local)
  --plain              print the table when it changes instead of redrawing
  -h, --help           this text`;

function number(name: string, text: string | undefined, fallback: number, max: number): number {
  if (text === undefined || text === "") return fallback;
  const value = Number(text);
  if (!/^\d+(\.\d+)?$/.test(text) || value > max) {
    throw new Error(`--${name}: expected a number in 0..${max}, got ${JSON.stringify(text)}`);
  }
  return value;
}

const port = (name: string, text: string | undefined, fallback: number) => {
  const value = number(name, text, fallback, 65_535);
  if (!Number.isInteger(value) || value === 0) {
    throw new Error(`--${name}: expected a port in 1..65535, got ${JSON.stringify(text)}`);
  }
  return value;
};

/** The options, or an `Error` whose message names the bad one. */
export function parseLocalArgs(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  isTTY: boolean,
): LocalOptions {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    options: {
      "kinesis-port": { type: "string" },
      "dynamodb-port": { type: "string" },
      "s3-port": { type: "string" },
      "dashboard-port": { type: "string" },
      "no-dashboard": { type: "boolean" },
      rate: { type: "string" },
      seed: { type: "string" },
      "no-generator": { type: "boolean" },
      persist: { type: "boolean" },
      fresh: { type: "boolean" },
      "state-dir": { type: "string" },
      plain: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
  });
  const kinesisPort = port("kinesis-port", values["kinesis-port"] ?? env.KINESIS_PORT, 4567);
  const dynamodbPort = port("dynamodb-port", values["dynamodb-port"] ?? env.DYNAMODB_PORT, 8000);
  const s3Port = port("s3-port", values["s3-port"] ?? env.S3_PORT, 4568);
  const dashboardPort = port(
    "dashboard-port",
    values["dashboard-port"] ?? env.DASHBOARD_PORT,
    8080,
  );
  const ports = [
    kinesisPort,
    dynamodbPort,
    s3Port,
    ...(values["no-dashboard"] ? [] : [dashboardPort]),
  ];
  if (new Set(ports).size !== ports.length)
    throw new Error(`ports must differ, got ${ports.join(", ")}`);
  const rate = number("rate", values.rate, 1, 10_000);
  if (rate === 0) throw new Error("--rate: expected a number above 0 (or --no-generator)");
  return {
    kinesisPort,
    dynamodbPort,
    s3Port,
    dashboardPort: values["no-dashboard"] ? undefined : dashboardPort,
    rate: values["no-generator"] ? undefined : rate,
    seed: values.seed === undefined ? undefined : number("seed", values.seed, 0, 2 ** 32 - 1),
    region: env.AWS_REGION || NAMES.region,
    fresh: values.fresh ?? false,
    persist: values.persist ?? false,
    stateDir: values["state-dir"] ?? (env.LOCAL_STATE_DIR || ".local"),
    live: isTTY && !values.plain,
    help: values.help ?? false,
  };
}

/** The ports `make local` will bind, with how to choose others (for the "in use" message). */
export function portWishes(options: LocalOptions) {
  return [
    { name: "kinesis-mock", port: options.kinesisPort, how: "--kinesis-port or KINESIS_PORT" },
    { name: "dynalite", port: options.dynamodbPort, how: "--dynamodb-port or DYNAMODB_PORT" },
    { name: "s3rver", port: options.s3Port, how: "--s3-port or S3_PORT" },
    { name: "dashboard", port: options.dashboardPort, how: "--dashboard-port or --no-dashboard" },
  ];
}
