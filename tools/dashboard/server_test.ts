/**
 * The dashboard server against a real table (dynalite): what it serves, how
 * it guards itself, and that many viewers still cost one read per interval.
 */
import { request } from "node:http";
import { networkInterfaces } from "node:os";
import { setTimeout as sleep } from "node:timers/promises";
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { dynamoClient } from "../../aws/clients.ts";
import { startDynalite } from "../../aws/emulators/dynalite.ts";
import type { Emulator } from "../../aws/emulators/process.ts";
import { putItems, seedTable } from "../../aws/table.ts";
import type { Item } from "../../core/mod.ts";
import { CHAPTER_ITEMS } from "../../core/testing/fixtures.ts";
import { CONTENT_SECURITY_POLICY } from "./headers.ts";
import { type Dashboard, type DashboardOptions, startDashboard } from "./server.ts";
import { openStream, type SseEvent, type Stream } from "./sse_client.ts";
import type { Heartbeat, TrucksBody } from "./wire.ts";

/**
 * dynalite, started by the first test (not in a `before` hook, whose failure
 * uvu would report as no tests at all) and stopped after the last.
 */
let emulator: Promise<{ dynalite: Emulator; dynamo: DynamoDBClient }> | undefined;
const setUp = () => {
  emulator ??= startDynalite().then((dynalite) => ({
    dynalite,
    dynamo: dynamoClient(dynalite.endpoint),
  }));
  return emulator;
};
let tables = 0;
const open: { dashboards: Dashboard[]; streams: Stream[] } = { dashboards: [], streams: [] };

test.after(async () => {
  const e = await emulator?.catch(() => undefined);
  e?.dynamo.destroy();
  await e?.dynalite.stop();
});
test.after.each(async () => {
  for (const s of open.streams.splice(0)) s.close();
  await Promise.all(open.dashboards.splice(0).map((d) => d.close()));
});

/** A dashboard on a free port over a fresh table seeded with `items`. */
async function serve(items: readonly Item[] = CHAPTER_ITEMS, opts: Partial<DashboardOptions> = {}) {
  const { dynamo } = await setUp();
  const table = `trucks-${++tables}`;
  await seedTable(dynamo, table, items);
  const dashboard = await startDashboard({
    table,
    dynamo,
    port: 0,
    refreshMs: 100,
    log: () => {},
    ...opts,
  });
  open.dashboards.push(dashboard);
  return { dashboard, table, dynamo, url: (path: string) => new URL(path, dashboard.url).href };
}

async function stream(url: string, headers: Record<string, string> = {}) {
  const events: SseEvent[] = [];
  const s = await openStream(url, { headers, onEvent: (e) => events.push(e) });
  open.streams.push(s);
  return { ...s, events, trucks: () => events.filter((e) => e.event === "trucks") };
}

async function until(what: string, ok: () => boolean, ms = 3_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > deadline) assert.unreachable(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

const body = (e: SseEvent | undefined) => JSON.parse(e?.data ?? "null") as TrucksBody;

test("/api/trucks serves the table as JSON with a strong ETag and the security headers", async () => {
  const { url } = await serve();
  const res = await fetch(url("/api/trucks"));
  assert.is(res.status, 200);
  assert.is(res.headers.get("content-type"), "application/json");
  assert.is(res.headers.get("content-security-policy"), CONTENT_SECURITY_POLICY);
  assert.is(res.headers.get("x-content-type-options"), "nosniff");
  assert.is(res.headers.get("referrer-policy"), "no-referrer");
  assert.match(res.headers.get("etag") ?? "", /^"[A-Za-z0-9_-]{43}"$/);
  const json = (await res.json()) as TrucksBody;
  assert.is(json.serviceInterval, 1_000);
  assert.equal(
    json.trucks.map((t) => [t.vin, t.milesSinceOilChange]),
    [
      ["19UYA31581L000000", 78],
      ["1HGCM82633A004352", 35],
      ["JH4TB2H26CC000000", 167],
    ],
  );
});

test("If-None-Match gets 304 until the table changes, then the new body and tag", async () => {
  const { url, table, dynamo } = await serve();
  const first = await fetch(url("/api/trucks"));
  const etag = first.headers.get("etag") ?? "";
  for (const tag of [etag, `W/${etag}`, `"other", ${etag}`, "*"]) {
    const res = await fetch(url("/api/trucks"), { headers: { "If-None-Match": tag } });
    assert.is(res.status, 304, tag);
    assert.is(res.headers.get("etag"), etag);
    assert.is(await res.text(), "");
  }
  await putItems(dynamo, table, [{ ...CHAPTER_ITEMS[0], mileage: 12500 }]);
  await sleep(120); // past refreshMs: the next request reads again
  const after = await fetch(url("/api/trucks"), { headers: { "If-None-Match": etag } });
  assert.is(after.status, 200);
  assert.is.not(after.headers.get("etag"), etag);
  const truck = ((await after.json()) as TrucksBody).trucks.find(
    (t) => t.vin === "1HGCM82633A004352",
  );
  assert.is(truck?.milesSinceOilChange, 82);
});

test("a viewer gets the table at once, a push per change, and nothing while it stays the same", async () => {
  const { url, table, dashboard, dynamo } = await serve();
  const viewer = await stream(url("/api/events"));
  assert.is(viewer.status, 200);
  assert.match(viewer.headers["content-type"] ?? "", "text/event-stream");
  assert.is(viewer.headers["content-security-policy"], CONTENT_SECURITY_POLICY);
  await until("the first snapshot", () => viewer.trucks().length === 1);
  assert.is(body(viewer.trucks()[0]).trucks.length, 3);
  const readsBefore = dashboard.stats().reads;
  await sleep(500); // five refresh intervals of an unchanged table
  assert.is(viewer.trucks().length, 1, "an unchanged table was pushed");
  assert.ok(dashboard.stats().reads > readsBefore, "the table was not re-read");

  await putItems(dynamo, table, [
    {
      vin: "2FTRX18W1XCA00001",
      mileage: 1200,
      "mileage-at-oil-change": 100,
    },
  ]);
  await until("the push of the change", () => viewer.trucks().length === 2);
  const pushed = body(viewer.trucks()[1]);
  assert.equal(pushed.trucks.find((t) => t.vin === "2FTRX18W1XCA00001")?.due, true);
  assert.is(
    viewer.trucks()[1]?.id,
    (await fetch(url("/api/trucks"))).headers.get("etag")?.slice(1, -1),
  );
  await sleep(300);
  assert.is(viewer.trucks().length, 2);
});

test("a reconnecting viewer that already has the current table is not sent it again", async () => {
  const { url } = await serve();
  const first = await stream(url("/api/events"));
  await until("the first snapshot", () => first.trucks().length === 1);
  const again = await stream(url("/api/events"), { "Last-Event-ID": first.trucks()[0]?.id ?? "" });
  await sleep(300);
  assert.is(again.trucks().length, 0);
});

test("heartbeats flow to viewers and say when the table cannot be read", async () => {
  const { url } = await serve(CHAPTER_ITEMS, { heartbeatMs: 100, table: "no-such-table" });
  const viewer = await stream(url("/api/events"));
  await until("a heartbeat", () => viewer.events.some((e) => e.event === "heartbeat"));
  const beat = JSON.parse(
    viewer.events.find((e) => e.event === "heartbeat")?.data ?? "",
  ) as Heartbeat;
  assert.equal(
    { readFailing: beat.readFailing, readAt: beat.readAt },
    { readFailing: true, readAt: null },
  );
  const res = await fetch(url("/api/trucks"));
  assert.is(res.status, 503);
  assert.is(res.headers.get("retry-after"), "5");
});

test("a thousand-strong crowd costs at most one table read per refresh interval", async () => {
  const { url, dashboard, table, dynamo } = await serve(CHAPTER_ITEMS, { refreshMs: 200 });
  const viewers = await Promise.all(Array.from({ length: 200 }, () => stream(url("/api/events"))));
  const start = dashboard.stats().reads;
  const started = Date.now();
  const polls = Array.from({ length: 50 }, async () => {
    while (Date.now() - started < 2_000) await (await fetch(url("/api/trucks"))).arrayBuffer();
  });
  await putItems(dynamo, table, [{ ...CHAPTER_ITEMS[1], mileage: 19100 }]);
  await Promise.all(polls);
  const reads = dashboard.stats().reads - start;
  const elapsed = Date.now() - started;
  assert.ok(reads <= Math.ceil(elapsed / 200) + 1, `${reads} reads in ${elapsed} ms`);
  assert.ok(reads >= 5, `${reads} reads in ${elapsed} ms: the loop stalled`);
  assert.is(dashboard.stats().viewers, 200);
  await until("every viewer to get the change", () =>
    viewers.every((v) => v.trucks().length === 2),
  );
});

test("beyond maxConnections the server answers 503 with Retry-After", async () => {
  const { url, dashboard } = await serve(CHAPTER_ITEMS, { maxConnections: 3 });
  for (let i = 0; i < 3; i++) await stream(url("/api/events"));
  const refused = await fetch(url("/api/trucks"));
  assert.is(refused.status, 503);
  assert.is(refused.headers.get("retry-after"), "5");
  assert.is(refused.headers.get("content-security-policy"), CONTENT_SECURITY_POLICY);
  assert.is(dashboard.stats().refused, 1);
  for (const s of open.streams.splice(0)) s.close();
  await until("the streams to close", () => dashboard.stats().connections === 0);
  assert.is((await fetch(url("/api/trucks"))).status, 200);
});

test("it binds 127.0.0.1 by default: no other interface reaches it", async () => {
  const { dashboard } = await serve();
  const { hostname, port } = new URL(dashboard.url);
  assert.is(hostname, "127.0.0.1");
  const others = Object.values(networkInterfaces())
    .flat()
    .filter((i) => i !== undefined && i.family === "IPv4" && !i.internal)
    .map((i) => i?.address as string);
  for (const address of others) {
    const err = await fetch(`http://${address}:${port}/`).then(
      () => undefined,
      (e: Error) => e,
    );
    assert.ok(err !== undefined, `reached on ${address}`);
  }
});

test("requests naming a foreign host are refused (DNS rebinding)", async () => {
  const { dashboard } = await serve();
  const { port } = new URL(dashboard.url);
  const status = await new Promise<number | undefined>((resolve, reject) => {
    const req = request({
      host: "127.0.0.1",
      port,
      path: "/api/trucks",
      headers: { Host: "evil.example" },
    });
    req.once("response", (res) => {
      res.resume();
      resolve(res.statusCode);
    });
    req.once("error", reject);
    req.end();
  });
  assert.is(status, 421);
});

test("the page and its modules are served from the project, with the policy; tests are not", async () => {
  const { url } = await serve();
  const page = await fetch(url("/"));
  assert.is(page.status, 200);
  assert.is(page.headers.get("content-type"), "text/html; charset=utf-8");
  assert.is(page.headers.get("content-security-policy"), CONTENT_SECURITY_POLICY);
  const html = await page.text();
  assert.match(html, '<script type="module" src="/app.js">');
  assert.not.match(html, /https?:\/\/(?!www\.w3\.org)/, "the page refers to another origin");
  const app = await fetch(url("/app.js"));
  assert.is(app.headers.get("content-type"), "text/javascript; charset=utf-8");
  const js = await app.text();
  assert.match(js, 'from "./connection.js"');
  assert.not.match(js, /innerHTML/);
  assert.is((await fetch(url("/format_test.js"))).status, 404);
  assert.is(
    (await fetch(url("/style.css"))).headers.get("content-type"),
    "text/css; charset=utf-8",
  );
  assert.is((await fetch(url("/api/trucks"), { method: "POST" })).status, 405);
  const missing = await fetch(url("/nope"));
  assert.is(missing.status, 404);
  assert.is(missing.headers.get("content-security-policy"), CONTENT_SECURITY_POLICY);
});

test("markup stored in the table never reaches a response as markup", async () => {
  const evil = "<img src=x onerror=alert(1)>";
  const { url } = await serve([
    {
      vin: evil,
      mileage: 1,
      "location-timestamp": `<script>alert(2)</script>`,
      latitude: 51.5,
      longitude: -0.1,
    },
  ]);
  const raw = await (await fetch(url("/api/trucks"))).text();
  assert.not.match(raw, /[<>]/);
  assert.is((JSON.parse(raw) as TrucksBody).trucks[0]?.vin, evil);
  const viewer = await stream(url("/api/events"));
  await until("the first snapshot", () => viewer.trucks().length === 1);
  assert.not.match(viewer.trucks()[0]?.data ?? "<", /[<>]/);
  assert.not.match(await (await fetch(url("/"))).text(), "onerror");
});

test("/api/stats counts reads, viewers and the time of the last read", async () => {
  const { url } = await serve();
  await stream(url("/api/events"));
  const stats = (await (await fetch(url("/api/stats"))).json()) as Record<string, unknown>;
  assert.is(stats.viewers, 1);
  assert.ok((stats.reads as number) >= 1);
  assert.match(stats.lastReadAt as string, /^\d{4}-\d{2}-\d{2}T/);
  assert.is(stats.trucks, 3);
});

test.run();
