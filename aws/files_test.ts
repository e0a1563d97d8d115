import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readTextIfExists, writeJsonAtomic } from "./files.ts";

test("writeJsonAtomic: JSON and a newline, in a new directory, over the old file, no temporary left", async () => {
  const dir = await mkdtemp(join(tmpdir(), "files-"));
  try {
    const path = join(dir, "state", "a.json");
    assert.is(await readTextIfExists(path), undefined);
    await writeJsonAtomic(path, { a: 1 });
    assert.is(await readFile(path, "utf8"), '{"a":1}\n');
    await Promise.all([writeJsonAtomic(path, { b: [2] }, 2), writeJsonAtomic(path, { b: [2] }, 2)]);
    assert.is(await readTextIfExists(path), '{\n  "b": [\n    2\n  ]\n}\n');
    assert.equal(await readdir(join(dir, "state")), ["a.json"]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test.run();
