import fc from "fast-check";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { check } from "../core/testing/property.ts";
import { lower, lowest } from "./sequence.ts";

test("compares beyond Number precision", () => {
  const a = "49590338271490256608559692538361571095921575989136588898";
  const b = "49590338271490256608559692538361571095921575989136588899";
  assert.is(Number(a), Number(b));
  assert.is(lowest([b, a]), a);
});

test("compares by value, not by string order, when lengths differ", () => {
  assert.is(lowest(["100", "99", "1000"]), "99");
});

test("the lower of two keeps the text as given", () => {
  assert.is(lower("20", "3"), "3");
  assert.is(lower("7", "7"), "7");
});

test("nothing has no lowest", () => {
  assert.is(lowest([]), undefined);
});

test("refuses what is not a sequence number", () => {
  assert.throws(() => lowest(["1", ""]), /not a sequence number: ""/);
  assert.throws(() => lowest(["-1"]), RangeError);
});

test("agrees with BigInt order on any 128-bit values", async () => {
  const seq = fc.bigInt({ min: 0n, max: (1n << 128n) - 1n }).map(String);
  await check(
    fc.property(fc.array(seq, { minLength: 1 }), (seqs) => {
      const [min] = seqs.map(BigInt).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      assert.is(lowest(seqs), String(min));
    }),
    200,
  );
});

test.run();
