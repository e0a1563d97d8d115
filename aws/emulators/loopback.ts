/**
 * An HTTP server on a free loopback port, for the emulators this project
 * writes itself (the fault proxy, the round-trip model): it keeps track of
 * its connections, so that stopping it also ends the SDK clients'
 * keep-alive sockets instead of waiting for them; and `received`, what
 * both read of a DynamoDB request (body, operation, headers).
 *
 * @module
 */

import { once } from "node:events";
import http from "node:http";
import type { AddressInfo, Socket } from "node:net";

export interface LoopbackServer {
  /** `http://127.0.0.1:<port>`. */
  readonly endpoint: string;
  stop(): Promise<void>;
}

/** Serves `listener` on 127.0.0.1, on a port the system picks. */
export async function serveOnLoopback(listener: http.RequestListener): Promise<LoopbackServer> {
  const sockets = new Set<Socket>();
  const server = http.createServer(listener);
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    stop: async () => {
      for (const socket of sockets) socket.destroy();
      server.close();
      await once(server, "close");
    },
  };
}

/** A DynamoDB request as received: its body, and the operation its `x-amz-target` names. */
export interface Received {
  /** The body's bytes, as sent (to forward unchanged). */
  readonly raw: Buffer;
  /** The body as UTF-8 text. */
  readonly text: string;
  /** `x-amz-target: DynamoDB_20120810.<operation>`. */
  readonly operation: string;
  /** The headers to send it again with (`host` and `content-length` left to the next client). */
  readonly headers: Record<string, string>;
}

/** Reads the request's body, operation and headers. */
export async function received(req: http.IncomingMessage): Promise<Received> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks);
  const operation = String(req.headers["x-amz-target"] ?? "").split(".")[1] ?? "";
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (typeof value === "string" && name !== "host" && name !== "content-length") {
      headers[name] = value;
    }
  }
  return { raw, text: raw.toString("utf8"), operation, headers };
}
