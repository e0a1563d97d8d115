/**
 * A crowd of dashboard viewers: raw SSE connections over one keep-alive
 * agent, each noting when it first sees each write of the benchmark's
 * writer. A write counts as delivered to a viewer when the viewer receives a
 * table that holds it or a later write (a write overtaken before the next
 * table read is delivered by its successor), so every write is timed, and
 * the delay is what a person watching would experience.
 *
 * @module
 */
import { Agent } from "node:http";
import { openStream, type Stream } from "../tools/dashboard/sse_client.ts";

export type Crowd = {
  /** Viewers whose stream was accepted (200). */
  connected: number;
  /** Viewers turned away (any other status). */
  refused: number;
  /** Delivery delays in ms, one per (viewer, write). */
  delays: number[];
  /** How many viewers have seen write `seq`. */
  upTo(seq: number): number;
  close(): void;
};

/**
 * Opens `count` streams on `url` (in waves, to stay inside the listen
 * backlog). `seqOf` finds the writer's sequence number in a `trucks` event;
 * `issuedAt(seq)` is when that write was sent (performance.now()).
 */
export async function openCrowd(
  url: string,
  count: number,
  seqOf: (data: string) => number | undefined,
  issuedAt: (seq: number) => number | undefined,
): Promise<Crowd> {
  const agent = new Agent({ keepAlive: true, maxSockets: Number.POSITIVE_INFINITY });
  const delays: number[] = [];
  const seen: number[] = [];
  const streams: Stream[] = [];
  let refused = 0;
  const WAVE = 200;
  for (let first = 0; first < count; first += WAVE) {
    const wave = Array.from({ length: Math.min(WAVE, count - first) }, async (_, i) => {
      const viewer = first + i;
      seen[viewer] = -1;
      const stream = await openStream(url, {
        agent,
        onEvent: (e) => {
          if (e.event !== "trucks") return;
          const now = performance.now();
          const seq = seqOf(e.data);
          if (seq === undefined) return;
          for (let s = (seen[viewer] ?? -1) + 1; s <= seq; s++) {
            const at = issuedAt(s);
            if (at !== undefined) delays.push(now - at);
          }
          seen[viewer] = Math.max(seen[viewer] ?? -1, seq);
        },
      });
      if (stream.status === 200) streams.push(stream);
      else {
        refused++;
        stream.close();
      }
    });
    await Promise.all(wave);
  }
  return {
    connected: streams.length,
    refused,
    delays,
    upTo: (seq) => seen.filter((s) => s >= seq).length,
    close() {
      for (const s of streams) s.close();
      agent.destroy();
    },
  };
}
