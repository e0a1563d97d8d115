/**
 * The page's files, served from memory. They are read (and the TypeScript
 * ones transpiled to JavaScript, one file at a time, types erased and `.ts`
 * imports rewritten to `.js`) once at startup: the page needs no build step
 * and no network, and serving a request never touches the disk.
 *
 * @module
 */
import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import { extname, join } from "node:path";
import ts from "typescript";

export type Asset = { body: Buffer; type: string; etag: string };

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".svg": "image/svg+xml",
};

const COMPILER_OPTIONS: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.ESNext,
  rewriteRelativeImportExtensions: true,
  verbatimModuleSyntax: true,
};

/** The browser module a TypeScript source becomes. */
function transpile(source: string, fileName: string): string {
  return ts.transpileModule(source, { compilerOptions: COMPILER_OPTIONS, fileName }).outputText;
}

/**
 * Every servable file of `dir` by URL path (`/app.js` for `app.ts`), plus `/`
 * for `index.html`. Test files are not served.
 */
export async function loadAssets(dir: string): Promise<Map<string, Asset>> {
  const assets = new Map<string, Asset>();
  for (const name of (await readdir(dir)).sort()) {
    if (name.endsWith("_test.ts")) continue;
    const text = await readFile(join(dir, name), "utf8");
    const [path, body] =
      extname(name) === ".ts"
        ? [`/${name.slice(0, -3)}.js`, transpile(text, name)]
        : [`/${name}`, text];
    const type = TYPES[extname(path)];
    if (type === undefined) continue;
    const bytes = Buffer.from(body);
    const etag = `"${createHash("sha256").update(bytes).digest("base64url")}"`;
    assets.set(path, { body: bytes, type, etag });
  }
  const index = assets.get("/index.html");
  if (index !== undefined) assets.set("/", index);
  return assets;
}
