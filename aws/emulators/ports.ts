/**
 * Ports on loopback: a free one from the OS (tests never use fixed ports),
 * a check that a wanted one is free before anything is started on it, and
 * both together for an emulator's start.
 *
 * @module
 */

import { once } from "node:events";
import net from "node:net";
import { HOST } from "./process.ts";

/** Asks the OS for a port that is free on 127.0.0.1 right now. */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  server.listen(0, HOST);
  await once(server, "listening");
  const address = server.address();
  server.close();
  await once(server, "close");
  if (address === null || typeof address === "string") throw new Error("freePort: no TCP address");
  return address.port;
}

/**
 * Throws `port P is in use: …` unless `port` can be bound on 127.0.0.1: an
 * emulator would otherwise die with a less obvious message, or (worse) the
 * probe would reach a stranger already listening there.
 */
export async function assertPortFree(port: number): Promise<void> {
  const server = net.createServer();
  try {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen({ port, host: HOST, exclusive: true }, resolve);
    });
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new Error(`port ${port} is in use: ${reason}`);
  }
  server.close();
  await once(server, "close");
}

/** The port an emulator is to listen on (`wanted`, or a free one), checked free, and its endpoint. */
export async function emulatorPort(wanted?: number): Promise<{ port: number; endpoint: string }> {
  const port = wanted ?? (await freePort());
  await assertPortFree(port);
  return { port, endpoint: `http://${HOST}:${port}` };
}
