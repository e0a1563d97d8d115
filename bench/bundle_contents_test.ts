import { encode } from "@jridgewell/sourcemap-codec";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { attribute, ownerOf } from "./bundle_contents.ts";

test("owners: the package of a dependency, the folder of the project's own TypeScript", () => {
  assert.is(ownerOf("../../node_modules/@smithy/core/dist-es/index.js"), "@smithy/core");
  assert.is(ownerOf("../../node_modules/valibot/dist/index.mjs"), "valibot");
  assert.is(ownerOf("../../node_modules/a/node_modules/@b/c/x.js"), "@b/c");
  assert.is(ownerOf("../../../../core/decode.ts"), "core");
  assert.is(ownerOf("../../../write.ts"), "handler");
  assert.is(ownerOf("\0stand-in:1"), "(stand-ins)");
  assert.is(ownerOf("\0commonjsHelpers.js"), "(unmapped)");
});

test("every byte is attributed once, to the source of the segment it lies in", () => {
  const code = "abcdef\nghé";
  const sources = ["../../node_modules/x/a.js", "../../../../core/b.ts"];
  // Line 1: "abc" from a.js, "def" from b.ts; line 2: "gh" unmapped, "é" (2 bytes) from a.js.
  const mappings = encode([
    [
      [0, 0, 0, 0],
      [3, 1, 0, 0],
    ],
    [[0], [2, 0, 0, 0]],
  ]);
  const shares = attribute(code, sources, mappings);
  assert.equal(shares, [
    { owner: "x", bytes: 5 },
    { owner: "(unmapped)", bytes: 3 },
    { owner: "core", bytes: 3 },
  ]);
  assert.is(
    shares.reduce((n, s) => n + s.bytes, 0),
    Buffer.byteLength(code),
  );
});

test.run();
