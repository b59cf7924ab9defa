/** The older HTTP+SSE transport of the MCP probe. */
import { ProbeError } from "../errors.js";
import { awaitAnswer, send, type Channel, type Link } from "./probe-channel.js";
import { eventReader } from "./sse.js";
import type { SseEvent } from "./sse.js";

/** Legacy HTTP+SSE: a GET stream names an endpoint to POST to, and carries every answer back. */
export async function legacySse(link: Link): Promise<Channel> {
  const get = await send("GET", link.url, { method: "GET", headers: { accept: "text/event-stream" } }, link);
  const next = eventReader(get);
  const close = async () => {
    get.destroy();
  };
  let endpoint: string;
  try {
    endpoint = await endpointFrom(next, link.url);
  } catch (err) {
    await close();
    throw err;
  }
  let version: string | undefined;
  const post = async (method: string, message: object) => {
    const headers: Record<string, string> = { "content-type": "application/json" };
    if (version !== undefined) headers["mcp-protocol-version"] = version;
    const res = await send(method, endpoint, { method: "POST", headers, body: JSON.stringify(message) }, link);
    res.resume();
  };
  return {
    async request(method, id, params) {
      await post(method, { jsonrpc: "2.0", id, method, params });
      return awaitAnswer(method, next, id);
    },
    notify: (method) => post(method, { jsonrpc: "2.0", method }),
    useVersion(v) {
      version = v;
    },
    close,
  };
}

async function endpointFrom(next: () => Promise<SseEvent | undefined>, url: string): Promise<string> {
  for (;;) {
    const event = await next();
    if (!event) throw new ProbeError("GET: the event stream ended before an endpoint event");
    if (event.event !== "endpoint") continue;
    try {
      // Usually a path with a session id; resolved against the stream's URL as a browser would.
      return new URL(event.data.trim(), url).href;
    } catch {
      throw new ProbeError(`GET: the endpoint event holds no URL: ${event.data.slice(0, 200)}`);
    }
  }
}
