/**
 * One MCP request on a connection whose revision is already known (the gateway's backends, after their
 * SDK client negotiated it): plain JSON-RPC over the caller's pooled keep-alive HTTP, framed and read by
 * the shared exchange (probe-source.ts) that the probes use. It exists for speed: the SDK client costs
 * about 1.5 ms of CPU per request, this about 0.25 ms (bench/gateway.mjs).
 * 2026-07-28: the `_meta` envelope and the MCP-Protocol-Version / Mcp-Method / Mcp-Name headers, no session.
 * 2025: the session's Mcp-Session-Id and its negotiated MCP-Protocol-Version.
 */
import { type HttpAnswer, type JsonRpcMessage, MODERN_VERSION, shared } from "./mcp-protocol.js";
import type { ProbeHttp } from "./probe-http.js";

export interface McpLink {
  url: string;
  /** The revision the server and the client agreed on. */
  protocolVersion: string;
  /** A 2025 server's session, when it gave one. */
  sessionId?: string;
  /** The client as the 2026-07-28 envelope names it. */
  client: { name: string; version: string };
}

/** Which body field the 2026-07-28 Mcp-Name header mirrors, per method (the revision's standard headers). */
const NAME_FIELD: Record<string, string> = { "tools/call": "name", "prompts/get": "name", "resources/read": "uri" };

/**
 * Whether a header value can be sent as it is: printable ASCII without edge spaces. Any other value the
 * revision wants base64-wrapped; such a request is left to the SDK client, which does that.
 */
export const plainHeaderValue = (v: string): boolean => v.length > 0 && v === v.trim() && /^[\t\x20-\x7e]*$/.test(v) && !v.startsWith("=?base64?");

/** The server answered with an HTTP status and no JSON-RPC answer to the request. */
export class McpHttpStatus extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The connection failed, or the answer could not be read. `notSent`: no connection was made, so the
 * request certainly never ran; otherwise it may have.
 */
export class McpExchangeFailed extends Error {
  constructor(
    message: string,
    readonly notSent = false,
    /** It failed before any response arrived (not while reading one). */
    readonly beforeResponse = false,
  ) {
    super(message);
  }
}

/** Errors of a connection that was never made: the server did not receive a byte. */
const NOT_CONNECTED = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH", "UND_ERR_CONNECT_TIMEOUT"]);
const codeOf = (e: unknown): string | undefined => {
  const o = e as { code?: unknown; cause?: { code?: unknown } } | undefined;
  const code = o?.cause?.code ?? o?.code;
  return typeof code === "string" ? code : undefined;
};

export function requestHeaders(link: McpLink, method: string, params: Record<string, unknown> | undefined): Record<string, string> {
  const headers: Record<string, string> = { "content-type": "application/json", accept: "application/json, text/event-stream" };
  if (link.protocolVersion === MODERN_VERSION) {
    Object.assign(headers, shared.modernHeaders(method));
    const field = NAME_FIELD[method];
    const value = field === undefined ? undefined : params?.[field];
    if (typeof value === "string") headers["mcp-name"] = value;
    return headers;
  }
  headers["mcp-protocol-version"] = link.protocolVersion;
  if (link.sessionId !== undefined) headers["mcp-session-id"] = link.sessionId;
  return headers;
}

/**
 * Sends one request and returns the JSON-RPC answer to it (a result or an error, as the server sent it).
 * A status without an answer is McpHttpStatus (a 2025 server's 404: the session is gone, the request never
 * ran); anything else that goes wrong is McpExchangeFailed.
 */
export async function mcpRequest(
  http: ProbeHttp,
  link: McpLink,
  id: number,
  method: string,
  params: Record<string, unknown> | undefined,
  signal?: AbortSignal,
): Promise<JsonRpcMessage> {
  const modern = link.protocolVersion === MODERN_VERSION;
  const sent = modern ? shared.modernParams(params ?? {}, link.client.name, link.client.version) : params;
  const body = JSON.stringify({ jsonrpc: "2.0", id, method, ...(sent !== undefined && { params: sent }) });
  let res: HttpAnswer;
  try {
    res = await http.exchange(link.url, { method: "POST", headers: requestHeaders(link, method, params), body, ...(signal && { signal }) });
  } catch (e) {
    throw new McpExchangeFailed(`${method}: ${shared.describeError(e)}`, NOT_CONNECTED.has(codeOf(e) ?? ""), true);
  }
  const status = res.statusCode ?? 0;
  // Error answers may come with a 4xx status (2026-07-28 maps some codes to 400): read them as answers.
  const got = await shared.readAnswer(method, res, id).catch((e: unknown) => ({ error: `${method}: ${shared.describeError(e)}` }));
  if ("message" in got && (status < 300 || got.message.error !== undefined)) return got.message;
  if (status >= 300) throw new McpHttpStatus(status, `${method} answered HTTP ${status}`);
  throw new McpExchangeFailed("error" in got ? got.error : `${method}: no answer`);
}

/** How long a notification may hold a pooled connection: a stuck server must not keep one. */
const NOTIFY_TIMEOUT_MS = 2000;

/** A notification (a 2025 server's notifications/cancelled); best effort, bounded, its answer not read. */
export async function mcpNotify(http: ProbeHttp, link: McpLink, method: string, params: Record<string, unknown>): Promise<void> {
  const body = JSON.stringify({ jsonrpc: "2.0", method, params });
  const stop = new AbortController();
  const timer = setTimeout(() => stop.abort(), NOTIFY_TIMEOUT_MS);
  try {
    const res = await http.exchange(link.url, { method: "POST", headers: requestHeaders(link, method, params), body, signal: stop.signal });
    res.resume();
  } catch {
    // Best effort: the call it cancels has already failed for the client.
  } finally {
    clearTimeout(timer);
  }
}
