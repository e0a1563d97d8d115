import { test } from "uvu";
import * as assert from "uvu/assert";
import { type StatusInput, status } from "./status.ts";

const live: StatusInput = {
  connection: "open",
  lastEventAt: 10_000,
  now: 20_000,
  staleAfterMs: 31_000,
  readFailing: false,
  hasData: true,
};

test("an open stream that spoke lately is live", () => {
  assert.equal(status(live), { state: "live", text: "Live" });
});

test("before the first table the page is connecting, or says why none comes", () => {
  const first = { ...live, lastEventAt: null, hasData: false };
  assert.is(status({ ...first, connection: "connecting" }).state, "connecting");
  assert.equal(status({ ...first, lastEventAt: 1 }), {
    state: "connecting",
    text: "Waiting for the truck table…",
  });
  assert.is(status({ ...first, lastEventAt: 1, readFailing: true }).state, "stale");
});

test("a dropped stream makes the data stale at once, and says it reconnects", () => {
  const s = status({ ...live, connection: "down" });
  assert.is(s.state, "stale");
  assert.match(s.text, "reconnecting");
});

test("silence longer than the threshold is stale, with the time in words", () => {
  assert.equal(status({ ...live, now: 42_000 }), {
    state: "stale",
    text: "Stale: no word from the server for 32 s",
  });
  assert.is(status({ ...live, now: 41_000 }).state, "live");
});

test("a server that cannot read its table is stale though the stream is open", () => {
  assert.match(status({ ...live, readFailing: true }).text, "cannot read");
});

test.run();
