/**
 * An HTTP server on a free loopback port, for the emulators this project
 * writes itself (the fault proxy, the round-trip model): it keeps track of
 * its connections, so that stopping it also ends the SDK clients'
 * keep-alive sockets instead of waiting for them.
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
