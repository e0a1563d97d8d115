import { mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { freePort } from "../../aws/emulators/ports.ts";
import { writeStack } from "../stack.ts";
import { holds, preflight, prepareState } from "./prepare.ts";

let dir = "";
test.before.each(async () => {
  dir = await mkdtemp(join(tmpdir(), "prepare-"));
});
test.after.each(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function seed(stateDir: string) {
  for (const sub of ["checkpoints", "failed", "kinesis", "logs"]) {
    await mkdir(join(stateDir, sub), { recursive: true });
    await writeFile(join(stateDir, sub, "x"), "x");
  }
}

test("in memory: checkpoints and failures of the last run go, persisted data stays", async () => {
  const state = join(dir, ".local");
  await seed(state);
  await prepareState(state, { fresh: false, persist: false, root: dir });
  assert.equal((await readdir(state)).sort(), ["kinesis", "logs"]);
});

test("--persist keeps everything; --fresh deletes everything", async () => {
  const state = join(dir, ".local");
  await seed(state);
  await prepareState(state, { fresh: false, persist: true, root: dir });
  assert.equal((await readdir(state)).sort(), ["checkpoints", "failed", "kinesis", "logs"]);
  await prepareState(state, { fresh: true, persist: true, root: dir });
  assert.equal(await readdir(state), ["logs"]);
});

test("--fresh never deletes the repository", async () => {
  assert.ok(holds("/work/main", "/work/main"));
  assert.ok(holds("/work", "/work/main"));
  assert.not.ok(holds("/work/main/.local", "/work/main"));
  assert.not.ok(holds("/tmp/state", "/work/main"));
  let error: unknown;
  await prepareState(dir, { fresh: true, persist: false, root: join(dir, "repo") }).catch((e) => {
    error = e;
  });
  assert.match(String(error), /holds the repository/);
});

test("preflight names what to do: build, stop the other stack, pick another port", async () => {
  const fails = async (check: Parameters<typeof preflight>[0], message: RegExp) => {
    let error: unknown;
    await preflight(check).catch((e) => {
      error = e;
    });
    assert.match(String(error), message);
  };
  const bundle = join(dir, "index.mjs");
  const stackPath = join(dir, "stack.json");
  await fails({ bundle, stackPath, ports: [] }, /index\.mjs not found: run `make build` first/);
  await writeFile(bundle, "");
  const stack = {
    pid: process.pid,
    region: "us-east-1",
    kinesisEndpoint: "http://127.0.0.1:1",
    dynamodbEndpoint: "http://127.0.0.1:2",
    s3Endpoint: "http://127.0.0.1:3",
    archiveBucket: "b",
    stream: "s",
    rejectsStream: "r",
    table: "t",
  };
  await writeStack(stackPath, stack);
  await fails(
    { bundle, stackPath, ports: [] },
    new RegExp(`already running \\(pid ${process.pid}\\)`),
  );
  await rm(stackPath);
  const port = await freePort();
  const squatter = createServer().listen(port, "127.0.0.1");
  await new Promise((resolve) => squatter.once("listening", resolve));
  try {
    const ports = [{ name: "dynalite", port, how: "--dynamodb-port" }];
    await fails(
      { bundle, stackPath, ports },
      new RegExp(`port ${port} is in use.*dynalite.*--dynamodb-port`),
    );
  } finally {
    squatter.close();
  }
  await preflight({ bundle, stackPath, ports: [{ name: "none", port: undefined, how: "" }] });
});

test.run();
