/**
 * Streamable HTTP as the 2026-07-28 revision speaks it: no session, no handshake. Every request carries
 * the protocol version in its `_meta` envelope and in the `mcp-protocol-version` header, and names its
 * method in `mcp-method`. Any HTTP error status (a 2025 server says 400 "no session", 404, 405...) is a
 * ProbeError marked `legacy`, so the probe tries the 2025 handshake; a network failure is not.
 */
import { ProbeError } from "../errors.js";
import { shared } from "./mcp-protocol.js";
import { type JsonRpcMessage, type Link, send } from "./probe-channel.js";

export interface ModernChannel {
  request(method: string, id: number, params: object): Promise<JsonRpcMessage>;
}

export function modernHttp(link: Link, client: { name: string; version: string }): ModernChannel {
  return {
    async request(method, id, params) {
      const body = JSON.stringify({ jsonrpc: "2.0", id, method, params: shared.modernParams(params, client.name, client.version) });
      const headers = { "content-type": "application/json", accept: "application/json, text/event-stream", ...shared.modernHeaders(method) };
      const res = await send(method, link.url, { method: "POST", headers, body }, link, { legacy: true });
      const got = await shared.readAnswer(method, res, id);
      if ("error" in got) throw new ProbeError(got.error);
      return got.message;
    },
  };
}
