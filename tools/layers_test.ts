/**
 * The import rules of the project's folders, checked on every relative
 * import of every TypeScript file, so that a layer cannot leak by accident:
 *
 * - core/ imports only core/ (its own test checks the rest of its purity);
 * - handler/ (what ships) imports core/ and handler/; its tests also aws/;
 * - aws/ (AWS on this machine) imports core/ and aws/, never handler/ or tools/;
 * - tools/ imports core/, handler/, aws/ and tools/;
 * - bench/ may import any of those; nothing imports bench/;
 * - terraform/tests imports core/, aws/ and terraform/.
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { test } from "uvu";
import * as assert from "uvu/assert";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const SPECIFIER = /(?:from|import)\s*\(?\s*["'](\.{1,2}\/[^"']+)["']/g;

const isTest = (file: string) => file.endsWith("_test.ts") || file.includes("/testing/");

/** The top-level folders a file may import from. */
function allowed(file: string): readonly string[] {
  const [top] = file.split("/");
  switch (top) {
    case "core":
      return ["core"];
    case "handler":
      return isTest(file) ? ["core", "handler", "aws"] : ["core", "handler"];
    case "aws":
      return ["core", "aws"];
    case "tools":
      return ["core", "handler", "aws", "tools"];
    case "bench":
      return ["core", "handler", "aws", "tools", "bench"];
    case "terraform":
      return ["core", "aws", "terraform"];
    default:
      return [];
  }
}

function typescriptFiles(): string[] {
  return ["core", "handler", "aws", "tools", "bench", "terraform"].flatMap((dir) =>
    readdirSync(join(ROOT, dir), { recursive: true, encoding: "utf8" })
      .filter((f) => f.endsWith(".ts") && !f.includes("node_modules") && !f.includes("dist/"))
      .map((f) => `${dir}/${f}`),
  );
}

test("every folder has files to check", () => {
  const tops = new Set(typescriptFiles().map((f) => f.split("/")[0]));
  assert.equal([...tops].sort(), ["aws", "bench", "core", "handler", "terraform", "tools"]);
});

/** The relative imports of `text` (the source of `file`) that its layer may not use, and how many it has. */
function breachesOf(file: string, text: string) {
  const breaches: string[] = [];
  let imports = 0;
  for (const [, specifier = ""] of text.matchAll(SPECIFIER)) {
    imports++;
    const target = relative(ROOT, resolve(ROOT, dirname(file), specifier));
    const [top] = target.split("/");
    if (!allowed(file).includes(top ?? "")) breaches.push(`${file} imports ${target}`);
  }
  return { breaches, imports };
}

test("every relative import stays within the folders its layer may use", () => {
  const breaches: string[] = [];
  let imports = 0;
  for (const file of typescriptFiles()) {
    const found = breachesOf(file, readFileSync(join(ROOT, file), "utf8"));
    breaches.push(...found.breaches);
    imports += found.imports;
  }
  assert.equal(breaches, []);
  assert.ok(imports > 500, `only ${imports} relative imports seen: the scanner misses them`);
});

test("the rules are not vacuous: a breach is seen", () => {
  assert.not.ok(allowed("aws/table.ts").includes("handler"));
  assert.not.ok(allowed("handler/write.ts").includes("aws"));
  assert.not.ok(allowed("tools/status.ts").includes("bench"));
  const source =
    'import { writeRow } from "../handler/write.ts";\nconst m = await import("./x.ts");';
  assert.equal(breachesOf("aws/table.ts", source), {
    breaches: ["aws/table.ts imports handler/write.ts"],
    imports: 2,
  });
});

test.run();
