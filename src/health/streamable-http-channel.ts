/** The Streamable HTTP transport of the MCP probe. */
import { ProbeError } from "../errors.js";
import { request } from "undici";
import { awaitAnswer, header, matching, parseJson, resultOf, send, type Channel, type JsonRpcMessage, type Link, type Response } from "./probe-channel.js";
import { eventReader } from "./sse.js";

/** Ending a session runs after the deadline too (a session leaks a process); a healthy server answers in ms. */
const CLOSE_BUDGET_MS = 1000;

/** Streamable HTTP: every message is a POST; the answer comes back as JSON or as an event stream. */
export function streamableHttp(link: Link): Channel {
  let sessionId: string | undefined;
  let version: string | undefined;
  const headers = (): Record<string, string> => ({
    "content-type": "application/json",
    accept: "application/json, text/event-stream",
    ...(sessionId === undefined ? {} : { "mcp-session-id": sessionId }),
    ...(version === undefined ? {} : { "mcp-protocol-version": version }),
  });
  const post = async (method: string, message: object): Promise<Response> => {
    const res = await send(method, link.url, { method: "POST", headers: headers(), body: JSON.stringify(message) }, link);
    sessionId ??= header(res, "mcp-session-id");
    return res;
  };
  return {
    async request(method, id, params) {
      const res = await post(method, { jsonrpc: "2.0", id, method, params });
      return resultOf(method, await answerIn(method, res, id));
    },
    async notify(method) {
      const res = await post(method, { jsonrpc: "2.0", method });
      await res.body.dump();
    },
    useVersion(v) {
      version = v;
    },
    async close() {
      if (sessionId === undefined) return;
      const signal = AbortSignal.timeout(CLOSE_BUDGET_MS);
      await request(link.url, { method: "DELETE", headers: headers(), signal, dispatcher: link.dispatcher })
        .then((res) => res.body.dump())
        .catch(() => {});
    },
  };
}

/** The answer to request `id`, from a JSON body or from an event stream the server may keep open. */
async function answerIn(method: string, res: Response, id: number): Promise<JsonRpcMessage> {
  if (!header(res, "content-type")?.includes("text/event-stream")) {
    const text = await res.body.text();
    const found = matching(parseJson(text), id);
    if (!found) throw new ProbeError(`${method} answered without a JSON-RPC response: ${text.slice(0, 200)}`);
    return found;
  }
  const next = eventReader(res.body);
  try {
    return await awaitAnswer(method, next, id);
  } finally {
    res.body.destroy();
  }
}
