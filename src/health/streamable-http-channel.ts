/** The Streamable HTTP transport of the MCP probe. */
import { ProbeError } from "../errors.js";
import { type HttpAnswer, shared } from "./mcp-protocol.js";
import { send, type Channel, type Link } from "./probe-channel.js";

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
  const post = async (method: string, message: object): Promise<HttpAnswer> => {
    const res = await send(method, link.url, { method: "POST", headers: headers(), body: JSON.stringify(message) }, link);
    const sid = res.headers["mcp-session-id"];
    sessionId ??= typeof sid === "string" ? sid : undefined;
    return res;
  };
  return {
    async request(method, id, params) {
      const res = await post(method, { jsonrpc: "2.0", id, method, params });
      // The shared reader: a JSON body, or an event stream read only until the answer (it may stay open).
      const got = await shared.readAnswer(method, res, id);
      if ("error" in got) throw new ProbeError(got.error);
      return got.message;
    },
    async notify(method) {
      const res = await post(method, { jsonrpc: "2.0", method });
      res.resume();
    },
    useVersion(v) {
      version = v;
    },
    async close() {
      if (sessionId === undefined) return;
      const signal = AbortSignal.timeout(CLOSE_BUDGET_MS);
      await link.http
        .exchange(link.url, { method: "DELETE", headers: headers(), signal })
        .then((res) => res.resume())
        .catch(() => {});
    },
  };
}
