/**
 * A minimal Server-Sent Events client over node:http, for the tests and the
 * load benchmark: a browser's EventSource without the browser, so that a
 * thousand viewers cost a thousand sockets and nothing more.
 *
 * @module
 */
import { type Agent, get, type IncomingHttpHeaders } from "node:http";

/** One dispatched event (comments and `retry:` lines are consumed). */
export type SseEvent = { event: string; data: string; id: string | undefined };

export type Stream = {
  status: number;
  headers: IncomingHttpHeaders;
  close(): void;
};

export type StreamOptions = {
  headers?: Record<string, string>;
  agent?: Agent;
  onEvent?: (event: SseEvent) => void;
};

/** Opens `url`; resolves once the response head has arrived (any status). */
export function openStream(url: string, opts: StreamOptions = {}): Promise<Stream> {
  return new Promise((resolve, reject) => {
    const req = get(url, {
      headers: { Accept: "text/event-stream", ...opts.headers },
      agent: opts.agent,
    });
    req.once("error", reject);
    req.once("response", (res) => {
      res.setEncoding("utf8");
      let buffer = "";
      res.on("data", (chunk: string) => {
        buffer += chunk;
        let end = buffer.indexOf("\n\n");
        while (end >= 0) {
          const event = parse(buffer.slice(0, end));
          buffer = buffer.slice(end + 2);
          if (event !== undefined) opts.onEvent?.(event);
          end = buffer.indexOf("\n\n");
        }
      });
      // Once the head is in, a reset only ends the stream: its owner just sees no more events.
      res.on("error", () => {});
      req.removeListener("error", reject);
      req.on("error", () => {});
      resolve({
        status: res.statusCode ?? 0,
        headers: res.headers,
        close: () => req.destroy(),
      });
    });
  });
}

/** One event block; undefined if it carries no data (a comment or a `retry:`). */
function parse(block: string): SseEvent | undefined {
  let event = "message";
  let id: string | undefined;
  const data: string[] = [];
  for (const line of block.split("\n")) {
    const colon = line.indexOf(":");
    if (colon === 0) continue;
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
    if (field === "event") event = value;
    else if (field === "data") data.push(value);
    else if (field === "id") id = value;
  }
  return data.length === 0 ? undefined : { event, data: data.join("\n"), id };
}
