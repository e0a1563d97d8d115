import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { test } from "uvu";
import * as assert from "uvu/assert";

const core = dirname(fileURLToPath(import.meta.url));

/** The shipped sources of core/: everything but tests and test support. */
function sources(): string[] {
  return readdirSync(core, { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".ts") && !f.endsWith("_test.ts") && !f.startsWith("testing"))
    .map((f) => join(core, f));
}

const SPECIFIER = /(?:from|import)\s*\(?\s*["']([^"']+)["']/g;

test("core/ has sources to check", () => {
  assert.ok(sources().some((f) => f.endsWith("mod.ts")));
});

test("core/ imports only its own files, with explicit .ts extensions", () => {
  for (const file of sources()) {
    const text = readFileSync(file, "utf8");
    for (const [, specifier = ""] of text.matchAll(SPECIFIER)) {
      const where = `${relative(core, file)} imports ${specifier}`;
      assert.ok(specifier.startsWith("./") || specifier.startsWith("../"), where);
      assert.ok(specifier.endsWith(".ts"), `${where}: relative imports carry .ts`);
      const target = resolve(dirname(file), specifier);
      assert.ok(target.startsWith(`${core}/`), `${where}: leaves core/`);
    }
  }
});

test("core/ uses no Node.js globals", () => {
  for (const file of sources()) {
    const text = readFileSync(file, "utf8");
    for (const global of [/\bprocess\./, /\bBuffer\b/, /\brequire\(/, /\b__dirname\b/]) {
      assert.not.ok(global.test(text), `${relative(core, file)} uses ${global.source}`);
    }
  }
});

test.run();
