/**
 * dynalite, DynamoDB on loopback, as a supervised child process: in memory,
 * or persisted in LevelDB under a directory.
 *
 * @module
 */

import { createRequire } from "node:module";
import { ListTablesCommand } from "@aws-sdk/client-dynamodb";
import { dynamoClient } from "../clients.ts";
import { emulatorPort } from "./ports.ts";
import { type Emulator, type EmulatorOptions, HOST, launch, PROBE, probe } from "./process.ts";

const require = createRequire(import.meta.url);

/** DynamoDB on loopback; in memory, or persisted in LevelDB under `dataDir`. */
export async function startDynalite(
  opts: EmulatorOptions & { dataDir?: string } = {},
): Promise<Emulator> {
  const { port, endpoint } = await emulatorPort(opts.port);
  const args = [require.resolve("dynalite/cli.js"), "--port", `${port}`, "--host", HOST];
  // Tables become ACTIVE at once instead of after 500 ms.
  args.push("--createTableMs", "0", "--deleteTableMs", "0", "--updateTableMs", "0");
  if (opts.dataDir !== undefined) args.push("--path", opts.dataDir);
  return launch({
    name: "dynalite",
    port,
    args,
    env: process.env,
    opts,
    probe: () => probe(dynamoClient(endpoint, PROBE), new ListTablesCommand({})),
  });
}
