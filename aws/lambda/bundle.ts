/**
 * The built bundle (handler/dist/index.mjs), loaded as Lambda would load it,
 * for end-to-end tests: what ships is what is tested.
 *
 * Each load is a fresh module instance, so it reads the environment anew,
 * like a new container's cold start; two loads are two containers. Tests call
 * `assertBundleFresh` first: what ships is what is tested.
 *
 * @module
 */

import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { Context, KinesisStreamBatchResponse, KinesisStreamEvent } from "aws-lambda";

/** The bundle's export. */
export type Handler = (
  event: KinesisStreamEvent,
  context: Context,
) => Promise<KinesisStreamBatchResponse>;

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
export const BUNDLE = join(ROOT, "handler/dist/index.mjs");

/** The newest modification time among the bundle's sources. */
function newestSource(): { path: string; mtimeMs: number } {
  let newest = {
    path: join(ROOT, "rollup.config.mjs"),
    mtimeMs: statSync(join(ROOT, "rollup.config.mjs")).mtimeMs,
  };
  for (const dir of ["core", "handler"]) {
    for (const entry of readdirSync(join(ROOT, dir), { recursive: true, encoding: "utf8" })) {
      const bundled =
        entry.endsWith(".ts") && !entry.endsWith("_test.ts") && !entry.includes("testing");
      if (!bundled) continue;
      const path = join(ROOT, dir, entry);
      const { mtimeMs } = statSync(path);
      if (mtimeMs > newest.mtimeMs) newest = { path, mtimeMs };
    }
  }
  return newest;
}

/** Fails with what to do when the bundle is missing or older than its sources. */
export function assertBundleFresh(): void {
  if (!existsSync(BUNDLE)) {
    throw new Error(`${BUNDLE} is missing: build it first with \`make build\``);
  }
  const newest = newestSource();
  if (newest.mtimeMs > statSync(BUNDLE).mtimeMs) {
    throw new Error(`${BUNDLE} is older than ${newest.path}: rebuild it with \`make build\``);
  }
}

let loads = 0;

/**
 * A fresh instance of the bundle's `handler`, configured by the environment
 * as it is now: a new container's cold start (the query string defeats the
 * module cache, which would otherwise share one instance, or keep answering
 * with a failed import's error). Rejects like a failed cold start on bad
 * configuration, or when the module exports no function named `handler`.
 */
export async function loadBundle(path: string = BUNDLE): Promise<Handler> {
  const module = (await import(`${pathToFileURL(path).href}?container=${++loads}`)) as {
    handler?: unknown;
  };
  if (typeof module.handler !== "function") {
    throw new TypeError(`${path} does not export a function named handler`);
  }
  return module.handler as Handler;
}
