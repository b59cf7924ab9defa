/**
 * The gateway's hot path to a backend: a `tools/call` sent as plain JSON-RPC (health/mcp-request.ts) on
 * the revision and session the backend's SDK client negotiated, over pooled keep-alive connections.
 * Only what that path can frame exactly as the SDK would goes this way: on 2026-07-28, a tool whose
 * name is a plain header value and whose listed schema declares no `x-mcp-header` parameters (those
 * need Mcp-Param-* headers); anything else is left to the SDK client.
 */
import { type Client, ProtocolError, type StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import { MODERN_VERSION } from "../health/mcp-protocol.js";
import { McpExchangeFailed, McpHttpStatus, type McpLink, mcpNotify, mcpRequest, plainHeaderValue } from "../health/mcp-request.js";
import type { ProbeHttp } from "../health/probe-http.js";

export const CLIENT = { name: "mcps-gateway", version: "1.0.0" };

/** The request bound passed (the tool may still be running: it is never sent again). */
export class CallTimedOut extends Error {}

/**
 * A request that certainly never ran: no connection was made, or a 2025 server refused it for its
 * session (McpHttpStatus is a status with no JSON-RPC answer to the request).
 */
export class NotSent extends Error {}

export interface Wire {
  link: McpLink;
  /** Whether this request goes as plain JSON-RPC. */
  takes(method: string, params: Record<string, unknown> | undefined): boolean;
  /** A tools/list answer the SDK client got: which tools plain requests may call. */
  listed(result: Record<string, unknown>): void;
  /** True once, when no listing was asked for on this connection (2026-07-28: until one is seen, calls go through the SDK). */
  unlisted(): boolean;
}

export function wireOf(url: string, client: Client, transport: StreamableHTTPClientTransport): Wire | undefined {
  const protocolVersion = client.getNegotiatedProtocolVersion();
  if (protocolVersion === undefined) return undefined;
  const link: McpLink = { url, protocolVersion, client: CLIENT, ...(transport.sessionId !== undefined && { sessionId: transport.sessionId }) };
  const modern = protocolVersion === MODERN_VERSION;
  /** 2026-07-28 tools seen in a listing whose schema needs no Mcp-Param-* header. */
  const plain = new Set<string>();
  let asked = false;
  return {
    link,
    takes(method, params) {
      if (method !== "tools/call") return false;
      if (!modern) return true;
      const name = params?.name;
      return typeof name === "string" && plain.has(name) && plainHeaderValue(name);
    },
    unlisted() {
      const first = modern && !asked;
      asked = true;
      return first;
    },
    listed(result) {
      if (!modern || !Array.isArray(result.tools)) return;
      asked = true;
      for (const t of result.tools as { name?: unknown; inputSchema?: unknown }[]) {
        if (typeof t?.name !== "string") continue;
        if (JSON.stringify(t.inputSchema ?? {}).includes('"x-mcp-header"')) plain.delete(t.name);
        else plain.add(t.name);
      }
    },
  };
}

let lastId = 0;

/** The backend's result as it sent it; its JSON-RPC error as a ProtocolError; a broken exchange as an Error. */
export async function wireRequest(
  http: ProbeHttp,
  wire: Wire,
  method: string,
  params: Record<string, unknown> | undefined,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<Record<string, unknown>> {
  const id = ++lastId;
  // One controller for both ends (a timer and the client leaving): AbortSignal.timeout and .any cost
  // a measurable share of a call on Node 20.
  const stop = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    stop.abort();
  }, timeoutMs);
  const leave = () => stop.abort();
  signal?.addEventListener("abort", leave, { once: true });
  // A 2025 server is told a request it still runs was given up; on 2026-07-28 the closed stream says it.
  stop.signal.addEventListener(
    "abort",
    () => {
      if (wire.link.protocolVersion !== MODERN_VERSION) void mcpNotify(http, wire.link, "notifications/cancelled", { requestId: id });
    },
    { once: true },
  );
  try {
    const answer = await mcpRequest(http, wire.link, id, method, params, stop.signal);
    if (answer.error !== undefined) {
      const e = answer.error as { code?: unknown; message?: unknown; data?: unknown };
      throw new ProtocolError(typeof e.code === "number" ? e.code : -32603, typeof e.message === "string" ? e.message : "error", e.data);
    }
    if (typeof answer.result !== "object" || answer.result === null) throw new Error(`${method}: the answer has no result`);
    return answer.result as Record<string, unknown>;
  } catch (e) {
    if (timedOut) throw new CallTimedOut(`${method} timed out after ${timeoutMs} ms`);
    if (e instanceof McpExchangeFailed && e.notSent) throw new NotSent(e.message);
    // A 2025 server that lost the session (it restarted) refuses at the door: 404, or 400 "not initialized".
    if (e instanceof McpHttpStatus && (e.status === 404 || e.status === 400) && wire.link.sessionId !== undefined)
      throw new NotSent(`${e.message}: the session is gone`);
    throw e;
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener("abort", leave);
  }
}
