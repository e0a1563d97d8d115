import { test } from "uvu";
import * as assert from "uvu/assert";
import { CONTENT_SECURITY_POLICY, hostAllowed } from "./headers.ts";

test("the policy allows the page's own origin and nothing else", () => {
  assert.is(
    CONTENT_SECURITY_POLICY,
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
      "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'",
  );
});

test("a loopback server answers loopback names only (no DNS rebinding)", () => {
  for (const host of ["127.0.0.1:8080", "localhost:8080", "LOCALHOST", "[::1]:8080", "127.0.0.2"]) {
    assert.ok(hostAllowed(host, "127.0.0.1"), host);
  }
  for (const host of ["evil.example:8080", "127.0.0.1.evil.example", undefined]) {
    assert.not.ok(hostAllowed(host, "127.0.0.1"), String(host));
  }
  assert.ok(hostAllowed("dashboard.internal:8080", "0.0.0.0"));
});

test.run();
