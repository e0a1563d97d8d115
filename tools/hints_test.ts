/**
 * Every command the project prints as advice (an error's hint, a Terraform
 * output, an alarm's description) must work as printed: the make target
 * exists, and every VAR=value it passes is read by that target. Hints are
 * collected from the sources as backticked `make …` commands (and Terraform
 * strings that are a make command) and run with `make -n`, which prints the
 * recipe without running it: the value must appear in what it would run, or
 * the recipe runs a tool that reads the variable from its environment (make
 * exports variables set on its command line to the recipe).
 */
import { execFile } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { test } from "uvu";
import * as assert from "uvu/assert";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");

/** Where advice is printed from: shipped and tool sources, and the Terraform root module. */
function sources(): string[] {
  const code = ["handler", "aws", "tools"].flatMap((dir) =>
    readdirSync(join(ROOT, dir), { recursive: true, encoding: "utf8" })
      .filter((f) => f.endsWith(".ts") && !f.endsWith("_test.ts") && !f.includes("node_modules"))
      .map((f) => join(dir, f)),
  );
  const terraform = readdirSync(join(ROOT, "terraform"))
    .filter((f) => f.endsWith(".tf"))
    .map((f) => join("terraform", f));
  return [...code, ...terraform];
}

const ARGUMENT = String.raw`[A-Z][A-Z0-9_]*=(?:'[^']*'|"[^"]*"|[^\s\`"]+)`;
const HINT = new RegExp(String.raw`\`(make [a-z][a-z-]*(?: ${ARGUMENT})*)\``, "g");
/** A Terraform string holding just a make command, e.g. an output. */
const TF_HINT = new RegExp(`"(make [a-z][a-z-]*(?: ${ARGUMENT})+)"`, "g");

/** Interpolations become a word a hint's value can be recognised by. */
const concrete = (hint: string) => hint.replace(/\$\{[^}]*\}/g, "hintvalue");

function hints(): Map<string, string[]> {
  const found = new Map<string, string[]>();
  for (const file of sources()) {
    const text = readFileSync(join(ROOT, file), "utf8");
    const patterns = file.endsWith(".tf") ? [HINT, TF_HINT] : [HINT];
    for (const pattern of patterns) {
      for (const [, hint = ""] of text.matchAll(pattern)) {
        const key = concrete(hint);
        found.set(key, [...(found.get(key) ?? []), file]);
      }
    }
  }
  return found;
}

/** `VAR=value` words, quotes removed as a shell would. */
function argumentsOf(hint: string): [string, string][] {
  return [...hint.matchAll(new RegExp(ARGUMENT, "g"))].map(([word]) => {
    const [name = "", value = ""] = word.split(/=(.*)/s);
    return [name, value.replace(/^(['"])(.*)\1$/s, "$2")];
  });
}

/** Whether a tool reads `name` from its environment (`env.NAME`, `setting(env, "NAME")`, ...). */
function toolsRead(name: string): boolean {
  const reads = new RegExp(String.raw`env\.${name}\b|"${name}"`);
  return sources().some(
    (file) => !file.endsWith(".tf") && reads.test(readFileSync(join(ROOT, file), "utf8")),
  );
}

const run = promisify(execFile);

/**
 * The recipe `make -n` prints for the target with these arguments, in an
 * environment free of the caller's make settings; throws if make fails.
 */
async function dryRun(target: string, args: readonly [string, string][]): Promise<string> {
  const env = { ...process.env };
  for (const name of ["MAKEFLAGS", "MFLAGS", "MAKELEVEL", "OFFLINE", "TF_ARGS", "DEPLOY_ENV"]) {
    delete env[name];
  }
  const words = args.map(([name, value]) => `${name}=${value}`);
  const argv = ["-n", "--no-print-directory", "-C", ROOT, target, ...words];
  const { stdout, stderr } = await run("make", argv, { env, timeout: 60_000 });
  return stdout + stderr;
}

test("the sources print hints (the collector finds them)", () => {
  const found = [...hints().keys()];
  assert.ok(found.includes("make build"), found.join("\n"));
  assert.ok(
    found.some((hint) => argumentsOf(hint).length > 0),
    "no hint with VAR=value found",
  );
});

/**
 * What is wrong with a hint: make fails on it as printed (an unknown target,
 * a refused value), or a variable is read by nothing: the recipe is the
 * same without it as with it (set as printed, or to a marker, in case the
 * printed value is the default), and no tool the recipe runs reads it from
 * the environment.
 */
async function problems(hint: string): Promise<string[]> {
  const [, target = ""] = hint.split(" ");
  const args = argumentsOf(hint);
  try {
    const recipe = await dryRun(target, args);
    const runsTool = /\btools\/\S+\.ts\b/.test(recipe);
    const unread: string[] = [];
    for (const [i, [name]] of args.entries()) {
      const others = args.filter((_, j) => j !== i);
      const without = await dryRun(target, others);
      const marked = await dryRun(target, [...others, [name, "hint-marker"]]);
      const read = recipe !== without || marked !== without || (runsTool && toolsRead(name));
      if (!read) unread.push(`${name} is not read`);
    }
    return unread;
  } catch (error) {
    const why = String((error as { stderr?: string }).stderr ?? error).trim();
    return [why.split("\n").at(-1) ?? why];
  }
}

test("a hint with a wrong target or an unread variable is caught", async () => {
  assert.equal((await problems("make generat")).length, 1);
  assert.equal(await problems("make generate STREEM=x"), ["STREEM is not read"]);
  assert.equal(await problems("make generate STREAM=x"), []);
});

test("every printed make command names a target and variables that target reads", async () => {
  const broken: string[] = [];
  for (const [hint, files] of hints()) {
    for (const problem of await problems(hint)) broken.push(`${hint} (${files[0]}): ${problem}`);
  }
  assert.equal(broken, []);
});

/** `README: Running it in AWS, Alarms`, `README.md, section **Running it in AWS**`: the sections named. */
const README_REFERENCE =
  /README(?:\.md)?[:,] (?:section )?\*{0,2}([A-Z][A-Za-z ]*[A-Za-z])\*{0,2}(?:, ([A-Z][A-Za-z ]*[A-Za-z]))?/g;

test("every README section an alarm, output or message points to exists", () => {
  const headings = new Set(
    readFileSync(join(ROOT, "README.md"), "utf8")
      .split("\n")
      .flatMap((line) => /^#+ (.*)$/.exec(line)?.[1] ?? []),
  );
  const missing: string[] = [];
  let references = 0;
  for (const file of sources()) {
    const text = readFileSync(join(ROOT, file), "utf8")
      .split("\n")
      .filter((line) => !/^\s*(#|\/\/|\*)/.test(line)) // comments are not printed
      .join("\n");
    for (const [, ...sections] of text.matchAll(README_REFERENCE)) {
      references++;
      for (const section of sections) {
        if (section !== undefined && !headings.has(section)) missing.push(`${file}: ${section}`);
      }
    }
  }
  assert.ok(references > 0, "no README reference found");
  assert.equal(missing, []);
});

test.run();
