/**
 * s3rver, S3 on loopback, as a supervised child process: objects are files
 * under a directory, a temporary one (removed on stop) unless `dataDir` keeps
 * them across runs. Path-style requests only (`forcePathStyle` in the client).
 *
 * @module
 */

import { mkdtemp, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ListBucketsCommand } from "@aws-sdk/client-s3";
import { s3Client } from "../clients.ts";
import { emulatorPort } from "./ports.ts";
import { type Emulator, type EmulatorOptions, HOST, launch, PROBE, probe } from "./process.ts";

const require = createRequire(import.meta.url);

/** S3 on loopback; objects in a temporary directory, or in `dataDir` (kept). */
export async function startS3rver(
  opts: EmulatorOptions & { dataDir?: string } = {},
): Promise<Emulator> {
  const { port, endpoint } = await emulatorPort(opts.port);
  const temporary = opts.dataDir === undefined;
  const directory = opts.dataDir ?? (await mkdtemp(join(tmpdir(), "oops-s3rver-")));
  const args = [require.resolve("s3rver/bin/s3rver.js"), "--directory", directory];
  args.push("--address", HOST, "--port", `${port}`, "--silent");
  const s3 = await launch({
    name: "s3rver",
    port,
    args,
    env: process.env,
    opts,
    probe: () => probe(s3Client(endpoint, PROBE), new ListBucketsCommand({})),
  }).catch(async (error) => {
    if (temporary) await rm(directory, { recursive: true, force: true });
    throw error;
  });
  return {
    ...s3,
    stop: async () => {
      await s3.stop();
      if (temporary) await rm(directory, { recursive: true, force: true });
    },
  };
}
