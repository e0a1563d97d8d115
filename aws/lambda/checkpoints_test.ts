import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import {
  checkpointPath,
  checkpointSaver,
  loadCheckpoints,
  parseCheckpoints,
} from "./checkpoints.ts";

const identity = { stream: "oops-events", created: "2026-11-26T00:47:35.009Z" };
let dir = "";
test.before.each(async () => {
  dir = await mkdtemp(join(tmpdir(), "checkpoints-"));
});
test.after.each(async () => {
  await rm(dir, { recursive: true, force: true });
});

test("what is saved is loaded back, for the same stream", async () => {
  const path = checkpointPath(dir, "oops-events");
  const { save } = checkpointSaver(path, identity);
  const shards = { "shardId-000000000000": { sequenceNumber: "42" }, s1: {} };
  await save(shards);
  assert.equal(await loadCheckpoints(path, identity), { shards });
  assert.equal(await readdir(join(dir, "checkpoints")), ["oops-events.json"], "no temporary left");
});

test("no file means from the start", async () => {
  assert.equal(await loadCheckpoints(join(dir, "none.json"), identity), { shards: {} });
});

test("checkpoints of a re-created stream are discarded, with the reason", () => {
  const text = JSON.stringify({ version: 1, ...identity, shards: { s: { sequenceNumber: "1" } } });
  const later = { ...identity, created: "2026-11-27T00:00:00.000Z" };
  const { shards, discarded } = parseCheckpoints(text, later);
  assert.equal(shards, {});
  assert.match(discarded ?? "", /another stream \(oops-events created 2026-11-26T00:47:35.009Z\)/);
  assert.match(parseCheckpoints("{", identity).discarded ?? "", /unreadable/);
  assert.match(parseCheckpoints("{}", identity).discarded ?? "", /format/);
});

test("concurrent saves are coalesced and the last state wins", async () => {
  const path = checkpointPath(dir, "s");
  const { save } = checkpointSaver(path, identity);
  const saves = [1, 2, 3, 4, 5].map((n) => save({ s: { sequenceNumber: String(n) } }));
  await Promise.all(saves);
  const written = JSON.parse(await readFile(path, "utf8"));
  assert.equal(written.shards, { s: { sequenceNumber: "5" } });
  await save({ s: { sequenceNumber: "6" } });
  assert.equal(JSON.parse(await readFile(path, "utf8")).shards, { s: { sequenceNumber: "6" } });
});

test.run();
