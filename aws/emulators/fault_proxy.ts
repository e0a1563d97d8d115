/**
 * A loopback HTTP proxy in front of dynalite that fails chosen requests the
 * way DynamoDB and networks fail: throttling, internal errors, a request
 * refused as invalid (as DynamoDB refuses a number out of its range), connections
 * dropped before the request reaches the table or after it was applied (the
 * client never learns that the write landed), and requests that hang.
 *
 * @module
 */

import http from "node:http";
import { received, serveOnLoopback } from "./loopback.ts";

/** What to do with one request; `undefined` forwards it untouched. */
export type Fault = "throttle" | "internal" | "invalid" | "drop" | "dropAfter" | "hang" | undefined;

/** A DynamoDB request as the proxy sees it. */
export interface Seen {
  /** The operation, e.g. `UpdateItem`. */
  readonly operation: string;
  /** The JSON request body. */
  readonly body: Record<string, unknown>;
}

export interface FaultProxy {
  readonly endpoint: string;
  /** Decides the fault of each request from now on. */
  decide: (request: Seen) => Fault;
  /** Faults injected so far, by kind. */
  readonly injected: Record<string, number>;
  stop(): Promise<void>;
}

const ERRORS = {
  throttle: {
    status: 400,
    type: "com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException",
    message: "The level of configured provisioned throughput for the table was exceeded.",
  },
  invalid: {
    status: 400,
    type: "com.amazon.coral.validate#ValidationException",
    message: "One or more parameter values were invalid: Number underflow.",
  },
  internal: {
    status: 500,
    type: "com.amazonaws.dynamodb.v20120810#InternalServerError",
    message: "Internal server error",
  },
} as const;

function answer(res: http.ServerResponse, kind: keyof typeof ERRORS): void {
  const { status, type, message } = ERRORS[kind];
  res.writeHead(status, { "content-type": "application/x-amz-json-1.0" });
  res.end(JSON.stringify({ __type: type, message }));
}

/** Starts the proxy on a free loopback port, forwarding to `upstream` (an http:// endpoint). */
export async function startFaultProxy(upstream: string): Promise<FaultProxy> {
  const target = new URL(upstream);
  const injected: Record<string, number> = {};
  const proxy: Omit<FaultProxy, "endpoint" | "stop"> = { decide: () => undefined, injected };

  const server = await serveOnLoopback(async (req, res) => {
    const { raw, text, operation } = await received(req);
    const fault = proxy.decide({ operation, body: JSON.parse(text || "{}") });
    if (fault !== undefined) injected[fault] = (injected[fault] ?? 0) + 1;
    if (fault === "throttle" || fault === "internal" || fault === "invalid") {
      return answer(res, fault);
    }
    if (fault === "drop") return req.socket.destroy();
    if (fault === "hang") return;
    const forward = http.request(
      {
        host: target.hostname,
        port: target.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
      },
      (upstreamRes) => {
        if (fault === "dropAfter") {
          upstreamRes.resume();
          upstreamRes.on("end", () => req.socket.destroy());
          return;
        }
        res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.headers);
        upstreamRes.pipe(res);
      },
    );
    forward.on("error", () => req.socket.destroy());
    forward.end(raw);
  });
  return Object.assign(proxy, server);
}
