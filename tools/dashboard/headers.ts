/**
 * The headers every response of the dashboard carries. The page loads
 * nothing but its own files and talks to nothing but its own server, so the
 * Content-Security-Policy can forbid everything else: injected markup could
 * neither run script nor send data anywhere, and the page cannot be framed.
 *
 * @module
 */

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join("; ");

export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "Content-Security-Policy": CONTENT_SECURITY_POLICY,
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "no-referrer",
};

const LOOPBACK_NAMES = new Set(["localhost", "127.0.0.1", "[::1]"]);

/**
 * Whether a request's Host header is acceptable. A server bound to loopback
 * only answers loopback names: a web page elsewhere that points its own
 * domain at 127.0.0.1 (DNS rebinding) would otherwise read the table through
 * the viewer's browser. A server bound to another address answers any name.
 */
export function hostAllowed(hostHeader: string | undefined, boundHost: string): boolean {
  if (!isLoopback(boundHost)) return true;
  if (hostHeader === undefined) return false;
  const name = hostHeader.replace(/:\d+$/, "").toLowerCase();
  return LOOPBACK_NAMES.has(name) || /^127\.\d+\.\d+\.\d+$/.test(name);
}

/** True for 127.0.0.0/8, ::1 and localhost. */
export function isLoopback(host: string): boolean {
  return host === "localhost" || host === "::1" || /^127\.\d+\.\d+\.\d+$/.test(host);
}
