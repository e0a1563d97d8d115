/**
 * Pollers of `/api/trucks` under autocannon: plain GETs (every answer a full
 * body) or conditional ones (If-None-Match with the last ETag seen, the way
 * a polite client or a CDN revalidates: mostly 304s with no body).
 *
 * @module
 */
import { createRequire } from "node:module";

export type PollFigures = {
  requests: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** Responses by status code. */
  statuses: Record<string, number>;
  errors: number;
  timeouts: number;
};

/** The part of autocannon's programmatic API used here (it ships no types). */
type Autocannon = (options: {
  url: string;
  connections: number;
  duration: number;
  requests?: {
    setupRequest?: (req: { headers?: Record<string, string> }) => unknown;
    onResponse?: (
      status: number,
      body: string,
      context: unknown,
      headers: Record<string, string>,
    ) => void;
  }[];
}) => Promise<{
  requests: { total: number; average: number };
  latency: { p50: number; p99: number };
  statusCodeStats: Record<string, { count: number }>;
  errors: number;
  timeouts: number;
}>;

const autocannon = createRequire(import.meta.url)("autocannon") as Autocannon;

/** Polls `url` from `connections` keep-alive connections for `seconds`. */
export async function poll(
  url: string,
  opts: { connections: number; seconds: number; conditional: boolean },
): Promise<PollFigures> {
  // Shared by all connections: autocannon resets its per-connection context after every request.
  let etag: string | undefined;
  const requests = opts.conditional
    ? [
        {
          setupRequest: (req: { headers?: Record<string, string> }) => ({
            ...req,
            headers: { ...req.headers, ...(etag === undefined ? {} : { "if-none-match": etag }) },
          }),
          onResponse: (_s: number, _b: string, _c: unknown, headers: Record<string, string>) => {
            // Raw header names, as the server wrote them ("ETag").
            const name = Object.keys(headers).find((h) => h.toLowerCase() === "etag");
            if (name !== undefined) etag = headers[name];
          },
        },
      ]
    : undefined;
  const result = await autocannon({
    url,
    connections: opts.connections,
    duration: opts.seconds,
    ...(requests === undefined ? {} : { requests }),
  });
  return {
    requests: result.requests.total,
    perSecond: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    statuses: Object.fromEntries(
      Object.entries(result.statusCodeStats).map(([code, s]) => [code, s.count]),
    ),
    errors: result.errors,
    timeouts: result.timeouts,
  };
}
