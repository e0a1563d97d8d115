/**
 * The page in a real browser: headless Chromium (Debian's `chromium`
 * package, driven by playwright-core; no browser is ever downloaded) against
 * the server over a dynalite table. It must show the table, follow a change,
 * say "stale" when the server goes away, keep stored markup inert, and log
 * no errors. A screenshot is kept in `test-artifacts/`.
 */
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { type BrowserContext, chromium, type Page } from "playwright-core";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { dynamoClient } from "../../aws/clients.ts";
import { startDynalite } from "../../aws/emulators/dynalite.ts";
import type { Emulator } from "../../aws/emulators/process.ts";
import { putItems, seedTable } from "../../aws/table.ts";
import { CHAPTER_ITEMS } from "../../core/testing/fixtures.ts";
import { type Dashboard, startDashboard } from "./server.ts";

const CHROMIUM = "/usr/bin/chromium";
const ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];
const ARTIFACTS = new URL("../../test-artifacts/", import.meta.url);

/** A truck well past the default 1,000-mile service interval, and one without an oil change. */
const MORE_TRUCKS = [
  {
    vin: "2FTRX18W1XCA01234",
    mileage: 41_877,
    "mileage-at-oil-change": 40_612,
    "location-timestamp": "2018-08-02T20:03:11.000Z",
    latitude: 51.5138,
    longitude: -0.1312,
  },
  { vin: "5YJSA1E26HF000337", mileage: 2_210 },
];

type World = {
  dynalite: Emulator;
  dynamo: DynamoDBClient;
  context: BrowserContext;
  profile: string;
};

/**
 * The emulator and the browser, started by the first test that needs them.
 * Not in a `before` hook: uvu reports a failing hook as nothing at all, and
 * a missing browser must fail loudly, never pass as zero tests.
 */
let world: Promise<World> | undefined;
const setUp = () => {
  world ??= (async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(
        `${CHROMIUM} is missing: the browser test needs Debian's chromium package ` +
          "(apt-get install -y chromium); it never downloads a browser",
      );
    }
    const dynalite = await startDynalite();
    const dynamo = dynamoClient(dynalite.endpoint);
    const profile = await mkdtemp(join(tmpdir(), "dashboard-chromium-"));
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ARGS,
      viewport: { width: 1280, height: 860 },
    });
    return { dynalite, dynamo, context, profile };
  })();
  return world;
};
let tables = 0;
const dashboards: Dashboard[] = [];

test.after(async () => {
  await Promise.all(dashboards.splice(0).map((d) => d.close()));
  const w = await world?.catch(() => undefined);
  if (w === undefined) return;
  await w.context.close();
  await rm(w.profile, { recursive: true, force: true });
  w.dynamo.destroy();
  await w.dynalite.stop();
});

async function serve(items: readonly Record<string, unknown>[]) {
  const { dynamo } = await setUp();
  const table = `browser-${++tables}`;
  await seedTable(dynamo, table, items);
  const dashboard = await startDashboard({
    table,
    dynamo,
    port: 0,
    refreshMs: 200,
    heartbeatMs: 1_000,
    log: () => {},
  });
  dashboards.push(dashboard);
  return { dashboard, table };
}

/** A new tab that records console errors and uncaught exceptions. */
async function tab(): Promise<{ page: Page; errors: string[] }> {
  const page = await (await setUp()).context.newPage();
  const errors: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(`console: ${m.text()}`);
  });
  page.on("pageerror", (e) => errors.push(`pageerror: ${e.message}`));
  page.on("dialog", (d) => {
    errors.push(`dialog: ${d.message()}`);
    void d.dismiss();
  });
  return { page, errors };
}

/** The texts of the data cells of the row of `vin`. */
const cells = (page: Page, vin: string) => row(page, vin).locator("td").allTextContents();

const row = (page: Page, vin: string) =>
  page
    .locator("#truck-rows tr")
    .filter({ has: page.getByRole("rowheader", { name: vin, exact: true }) });

/** The five trucks of `serve([...CHAPTER_ITEMS, ...MORE_TRUCKS])`, in the table and on the map. */
async function showsTheFleet(page: Page): Promise<void> {
  await page.locator("#truck-rows tr").nth(4).waitFor();
  assert.is(await page.locator("#truck-rows tr").count(), 5);
  assert.is(await page.locator("#status").textContent(), "Live");
  assert.equal(await cells(page, "1HGCM82633A004352"), [
    "35 mi OK",
    "12,453 mi",
    "51.5208° N, 0.1592° W",
    "2018-08-02 21:50:49",
  ]);
  assert.is((await cells(page, "2FTRX18W1XCA01234"))[0], "1,265 mi Due");
  assert.equal(await cells(page, "5YJSA1E26HF000337"), [
    "No oil change recorded",
    "2,210 mi",
    "Not reported",
    "Not reported",
  ]);
  assert.is(await page.locator("#due-count").textContent(), "1");
  assert.is(await page.locator("#interval").textContent(), "1,000 mi");
  assert.is(await page.locator("svg#map g.truck").count(), 4);
  assert.is(await page.locator("svg#map g.depot").count(), 5);
  assert.match(
    (await page.locator("#map-desc").textContent()) ?? "",
    "4 of 5 trucks have a reported position",
  );
}

/** The chapter's first truck drives on past its service interval; the open page follows. */
async function followsAChange(page: Page, table: string): Promise<void> {
  await putItems((await setUp()).dynamo, table, [
    {
      ...CHAPTER_ITEMS[0],
      mileage: 13_500,
      "location-timestamp": "2018-08-02T22:10:00.000Z",
      latitude: 51.5115,
      longitude: -0.1235,
    },
  ]);
  await row(page, "1HGCM82633A004352").filter({ hasText: "13,500 mi" }).waitFor({ timeout: 5_000 });
  assert.equal(await cells(page, "1HGCM82633A004352"), [
    "1,082 mi Due",
    "13,500 mi",
    "51.5115° N, 0.1235° W",
    "2018-08-02 22:10:00",
  ]);
  assert.is(await page.locator("#due-count").textContent(), "2");
}

/** After the server has stopped: the page says stale, and logged nothing but failed reconnects. */
async function saysStale(page: Page, errors: readonly string[]): Promise<void> {
  await page.locator("body[data-state=stale]").waitFor({ timeout: 5_000 });
  assert.match((await page.locator("#status").textContent()) ?? "", /^Stale: .*reconnecting/);
  await page.screenshot({ path: new URL("dashboard-stale.png", ARTIFACTS).pathname });
  // Once the server is gone, the only errors allowed are the browser's own failed reconnects.
  const unexpected = errors.filter(
    (e) => !/ERR_CONNECTION_REFUSED|Failed to load resource/.test(e),
  );
  assert.equal(unexpected, []);
}

test("the page shows the table, follows a change, and says stale when the server stops", async () => {
  const { dashboard, table } = await serve([...CHAPTER_ITEMS, ...MORE_TRUCKS]);
  const { page, errors } = await tab();
  await page.goto(dashboard.url);
  await showsTheFleet(page);
  await mkdir(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: new URL("dashboard.png", ARTIFACTS).pathname, fullPage: true });
  await followsAChange(page, table);
  assert.equal(errors, [], "errors while the server was up");
  await dashboard.close();
  await saysStale(page, errors);
  await page.close();
});

test("the page is readable on a phone", async () => {
  const { dashboard } = await serve([...CHAPTER_ITEMS, ...MORE_TRUCKS]);
  const { page, errors } = await tab();
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(dashboard.url);
  await page.locator("#truck-rows tr").nth(4).waitFor();
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - window.innerWidth,
  );
  assert.is(overflow, 0, "the page itself scrolls sideways");
  await page.screenshot({
    path: new URL("dashboard-phone.png", ARTIFACTS).pathname,
    fullPage: true,
  });
  assert.equal(errors, []);
  await page.close();
});

test("markup stored in the table shows as text and never runs", async () => {
  const evil = `<img src=x onerror="window.pwned=1">`;
  const { dashboard } = await serve([
    { vin: evil, mileage: 1, latitude: 51.5, longitude: -0.1, "location-timestamp": "<b>bold</b>" },
  ]);
  const { page, errors } = await tab();
  await page.goto(dashboard.url);
  await row(page, evil).waitFor();
  assert.is((await cells(page, evil))[3], "<b>bold</b>");
  assert.is(await page.locator("main img, main b").count(), 0);
  assert.is(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned), undefined);
  assert.match((await page.locator("svg#map g.truck text").textContent()) ?? "", '=1">');
  assert.equal(errors, []);
  await page.close();
});

test.run();
