import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { localInvoker, setFunctionEnvironment } from "./invoke.ts";

let dir = "";
test.before.each(async () => {
  dir = await mkdtemp(join(tmpdir(), "invoke-"));
});
test.after.each(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function bundle(source: string, name = "index.mjs"): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, source);
  return path;
}

const fn = (path: string, timeoutMs = 60_000) => ({
  name: "oops-truck-status",
  region: "us-east-1",
  timeoutMs,
  bundle: path,
});
const event = { Records: [] };

test("an async handler's answer comes back, with the event and a live context", async () => {
  const path = await bundle(
    "export const handler = async (event, context) => ({ n: event.Records.length, left: context.getRemainingTimeInMillis(), fn: context.functionName });",
  );
  const result = await localInvoker(fn(path, 30_000))(event);
  assert.ok(result.ok);
  const response = result.ok
    ? (result.response as { n: number; left: number; fn: string })
    : undefined;
  assert.is(response?.n, 0);
  assert.is(response?.fn, "oops-truck-status");
  assert.ok((response?.left ?? 0) > 29_000 && (response?.left ?? 0) <= 30_000);
});

test("a callback-style handler works too", async () => {
  const path = await bundle(
    "export function handler(event, context, callback) { setTimeout(() => callback(null, { batchItemFailures: [] }), 1); }",
  );
  assert.equal(await localInvoker(fn(path))(event), {
    ok: true,
    response: { batchItemFailures: [] },
  });
});

test("a throwing handler is a failed result, not a crash", async () => {
  const path = await bundle('export const handler = async () => { throw new Error("nope"); };');
  const result = await localInvoker(fn(path))(event);
  assert.is(result.ok, false);
  assert.match(String(!result.ok && result.error), /nope/);
});

test("a failed cold start fails the result; the next one imports afresh", async () => {
  const path = await bundle('throw new Error("invalid configuration: TABLE_NAME");');
  const invoke = localInvoker(fn(path));
  const first = await invoke(event);
  assert.match(String(!first.ok && first.error), /TABLE_NAME/);
  await bundle('export const handler = async () => "fixed";');
  assert.equal(await invoke(event), { ok: true, response: "fixed" });
});

test("a bundle without a handler export is named", async () => {
  const path = await bundle("export const other = 1;");
  const result = await localInvoker(fn(path))(event);
  assert.match(String(!result.ok && result.error), /does not export a function named handler/);
});

test("a handler that never answers times out", async () => {
  const path = await bundle("export const handler = () => new Promise(() => {});");
  const result = await localInvoker(fn(path, 50))(event);
  assert.match(String(!result.ok && result.error), /timed out/);
});

test("the function environment replaces inherited AWS settings", () => {
  const saved = { ...process.env };
  try {
    process.env.AWS_PROFILE = "production";
    process.env.AWS_SESSION_TOKEN = "secret";
    setFunctionEnvironment({ AWS_REGION: "us-east-1", TABLE_NAME: "oops-trucks" });
    assert.is(process.env.AWS_PROFILE, undefined);
    assert.is(process.env.AWS_SESSION_TOKEN, undefined);
    assert.is(process.env.AWS_REGION, "us-east-1");
    assert.is(process.env.TABLE_NAME, "oops-trucks");
  } finally {
    for (const name of Object.keys(process.env)) delete process.env[name];
    Object.assign(process.env, saved);
  }
});

test.run();
