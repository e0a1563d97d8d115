import { fileURLToPath } from "node:url";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { loadAssets } from "./assets.ts";

const assets = await loadAssets(fileURLToPath(new URL("./browser/", import.meta.url)));

test("the page, its stylesheet, icon and every module are served; tests are not", () => {
  const paths = [...assets.keys()];
  for (const path of ["/", "/index.html", "/style.css", "/favicon.svg", "/app.js", "/map.js"]) {
    assert.ok(paths.includes(path), path);
  }
  assert.not.ok(paths.some((p) => p.includes("_test") || p.endsWith(".ts")));
  assert.is(assets.get("/"), assets.get("/index.html"));
});

test("modules are plain JavaScript importing .js siblings: no types, no .ts paths", () => {
  for (const [path, asset] of assets) {
    if (!path.endsWith(".js")) continue;
    const js = asset.body.toString();
    assert.is(asset.type, "text/javascript; charset=utf-8");
    assert.not.match(js, /from "[^"]+\.ts"/, `${path} imports a .ts path`);
    assert.not.match(js, /^import type /m, `${path} keeps a type import`);
    assert.not.match(js, /wire\.js/, `${path} imports the types-only wire module`);
  }
});

test("each file has a strong ETag of its content", () => {
  const app = assets.get("/app.js");
  assert.match(app?.etag ?? "", /^"[A-Za-z0-9_-]{43}"$/);
  assert.is.not(app?.etag, assets.get("/map.js")?.etag);
});

test.run();
