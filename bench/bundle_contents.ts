/**
 * What the bundle is made of: handler/dist/index.mjs built again, in memory,
 * with the project's own Rollup configuration plus a source map, and every
 * byte of the minified output attributed through the map to the module it
 * came from, summed by package (`@smithy/core`, `@aws-sdk/client-dynamodb`,
 * …) or, for the project's own code, by folder (`core`, `handler`); the
 * stand-ins of rollup.config.mjs are `(stand-ins)`. Bytes the map gives no
 * source (Rollup's glue, whitespace between modules) are `(unmapped)`.
 *
 * @module
 */

import { fileURLToPath, pathToFileURL } from "node:url";
import { decode } from "@jridgewell/sourcemap-codec";
import { type OutputChunk, type RollupOptions, rollup } from "rollup";

const CONFIG = fileURLToPath(new URL("../rollup.config.mjs", import.meta.url));

/** What one package or folder adds to the bundle. */
export interface Share {
  readonly owner: string;
  readonly bytes: number;
}

/**
 * Whose code a source of the map is: its npm package, else `core` or
 * `handler`, the only TypeScript the bundle holds (the TypeScript plugin's
 * map writes their paths relative to its own output, without the folder
 * for the entry's).
 */
export function ownerOf(source: string): string {
  if (source.includes("stand-in:")) return "(stand-ins)";
  const inPackage = source.split("node_modules/").at(-1) ?? source;
  if (inPackage !== source) {
    const [scope = "", name = ""] = inPackage.split("/");
    return scope.startsWith("@") ? `${scope}/${name}` : scope;
  }
  if (!source.endsWith(".ts")) return "(unmapped)";
  return source.replace(/^(\.\.\/)+/, "").startsWith("core/") ? "core" : "handler";
}

/** Bytes of `code` by owner, from a decoded source map of it. */
export function attribute(code: string, sources: readonly string[], mappings: string): Share[] {
  const bytes = new Map<string, number>();
  const add = (owner: string, text: string) =>
    bytes.set(owner, (bytes.get(owner) ?? 0) + Buffer.byteLength(text));
  const lines = code.split("\n");
  const decoded = decode(mappings);
  for (const [i, line] of lines.entries()) {
    const segments = decoded[i] ?? [];
    const newline = i < lines.length - 1 ? "\n" : "";
    add("(unmapped)", `${line.slice(0, segments[0]?.[0] ?? line.length)}${newline}`);
    for (const [j, segment] of segments.entries()) {
      const end = segments[j + 1]?.[0] ?? line.length;
      const source = segment.length > 1 ? sources[segment[1] as number] : undefined;
      add(source === undefined ? "(unmapped)" : ownerOf(source), line.slice(segment[0], end));
    }
  }
  return [...bytes]
    .map(([owner, n]) => ({ owner, bytes: n }))
    .filter((share) => share.bytes > 0)
    .sort((a, b) => b.bytes - a.bytes);
}

/** Builds the bundle in memory (nothing written) and breaks its minified size down by owner. */
export async function bundleContents(): Promise<Share[]> {
  const { default: config } = (await import(pathToFileURL(CONFIG).href)) as {
    default: RollupOptions & { output: object };
  };
  const build = await rollup({ ...config, onwarn: () => {} });
  try {
    const { output } = await build.generate({ ...config.output, sourcemap: "hidden" });
    const chunk = output[0] as OutputChunk;
    const map = chunk.map;
    if (map === null) throw new Error("rollup produced no source map");
    return attribute(chunk.code, map.sources, map.mappings);
  } finally {
    await build.close();
  }
}
