import { rejects } from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readStack, writeStack } from "./stack.ts";
import { LIVE_STACK } from "./testing.ts";

/** The pid of a process that has already exited. */
function deadPid(): number {
  const { pid } = spawnSync(process.execPath, ["-e", ""]);
  if (pid === undefined) throw new Error("could not spawn node");
  return pid;
}

let dir = "";
test.before.each(async () => {
  dir = await mkdtemp(join(tmpdir(), "stack-test-"));
});
test.after.each(async () => {
  await rm(dir, { recursive: true, force: true });
});

test("what writeStack writes, readStack reads back while its owner lives", async () => {
  const path = join(dir, ".local", "stack.json");
  const stack = { ...LIVE_STACK, dashboardUrl: "http://127.0.0.1:8080/" };
  await writeStack(path, stack);
  assert.equal(await readStack(path), stack);
  assert.equal(await readdir(join(dir, ".local")), ["stack.json"], "no temporary file left");
});

test("no file, or a file whose owner has exited, is no stack", async () => {
  const path = join(dir, "stack.json");
  assert.is(await readStack(path), undefined);
  await writeStack(path, { ...LIVE_STACK, pid: deadPid() });
  assert.is(await readStack(path), undefined);
});

test("a malformed file is an error naming the file and the field", async () => {
  const path = join(dir, "stack.json");
  await writeFile(path, JSON.stringify({ ...LIVE_STACK, kinesisEndpoint: 4567 }));
  await rejects(() => readStack(path), /stack\.json is not a valid stack file: kinesisEndpoint/);
  await writeFile(path, "{");
  await rejects(() => readStack(path), /not a valid stack file/);
});

test("writeStack refuses a stack that readStack would refuse", async () => {
  const path = join(dir, "stack.json");
  await rejects(() => writeStack(path, { ...LIVE_STACK, stream: "" }));
  assert.is(await readStack(path), undefined);
});

test.run();
