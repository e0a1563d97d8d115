import { EventEmitter } from "node:events";
import type { ServerResponse } from "node:http";
import { setTimeout as sleep } from "node:timers/promises";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { EventHub, trucksEvent } from "./events.ts";
import { snapshot } from "./snapshot.ts";

/** Just enough of a ServerResponse to watch what the hub does with it. */
class FakeResponse extends EventEmitter {
  status = 0;
  headers: Record<string, string> = {};
  written: string[] = [];
  writableLength = 0;
  destroyed = false;
  ended = false;
  writeHead(status: number, headers: Record<string, string>) {
    this.status = status;
    this.headers = headers;
    return this;
  }
  write(chunk: string | Buffer) {
    this.written.push(chunk.toString());
    return true;
  }
  end() {
    this.ended = true;
    this.emit("close");
  }
  destroy() {
    this.destroyed = true;
    this.emit("close");
  }
}
const fake = () => new FakeResponse() as FakeResponse & ServerResponse;

const table = snapshot([{ vin: "A", mileage: 1 }], { serviceInterval: 1_000, heartbeatMs: 50 });
const beat = { now: 1, readAt: 1, readFailing: false };

test("a snapshot is one event whose id is its hash", () => {
  assert.is(
    trucksEvent(table).toString(),
    `id: ${table.hash}\nevent: trucks\ndata: ${table.body.toString()}\n\n`,
  );
});

test("a viewer gets the stream headers, a retry time and the first table; counts are reported", () => {
  const counts: number[] = [];
  const hub = new EventHub({
    heartbeatMs: 60_000,
    heartbeat: () => beat,
    onViewers: (n) => counts.push(n),
  });
  const res = fake();
  hub.add(res, { "X-Test": "1" }, trucksEvent(table));
  assert.is(res.status, 200);
  assert.is(res.headers["Content-Type"], "text/event-stream; charset=utf-8");
  assert.is(res.headers["X-Test"], "1");
  assert.equal(res.written, ["retry: 2000\n\n", trucksEvent(table).toString()]);
  res.emit("close");
  assert.equal(counts, [1, 0]);
  hub.close();
});

test("heartbeats are events the page can see, sent only while someone watches", async () => {
  const hub = new EventHub({ heartbeatMs: 20, heartbeat: () => beat });
  await sleep(50); // nobody there: nothing to do, nothing to fail
  const res = fake();
  hub.add(res, {}, Buffer.alloc(0));
  await sleep(70);
  hub.close();
  const beats = res.written.filter((w) => w.startsWith("event: heartbeat\n"));
  assert.ok(beats.length >= 2, `${beats.length} heartbeats`);
  assert.is(beats[0], `event: heartbeat\ndata: ${JSON.stringify(beat)}\n\n`);
  assert.ok(res.ended, "close() ends the streams");
});

test("a viewer too slow to drain its socket is dropped, the others still served", () => {
  const hub = new EventHub({ heartbeatMs: 60_000, heartbeat: () => beat, maxQueuedBytes: 100 });
  const slow = fake();
  const quick = fake();
  hub.add(slow, {}, Buffer.alloc(0));
  hub.add(quick, {}, Buffer.alloc(0));
  slow.writableLength = 101;
  hub.broadcast(table);
  assert.ok(slow.destroyed);
  assert.is(hub.viewers, 1);
  assert.is(quick.written.at(-1), trucksEvent(table).toString());
  hub.close();
});

test.run();
