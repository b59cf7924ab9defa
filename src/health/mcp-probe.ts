/**
 * A real MCP client handshake (initialize, notifications/initialized, tools/list) over either HTTP transport.
 * An open port proves little: a server is healthy when it can negotiate a protocol version and list its tools.
 * The probe never throws: every failure becomes ok:false with one line saying why, which status can print as is.
 */
import { Agent, request } from "undici";
import type { Dispatcher } from "undici";
import { ProbeError } from "../errors.js";
import { eventReader } from "./sse.js";
import type { SseEvent } from "./sse.js";

export type Transport = "streamable-http" | "sse";

export interface ProbeResult {
  ok: boolean;
  /** Round trip of the initialize request. */
  latencyMs: number;
  protocolVersion?: string;
  serverName?: string;
  serverVersion?: string;
  tools?: number;
  /** One line, why it failed (HTTP status, JSON-RPC error message, timeout, ECONNREFUSED...). */
  error?: string;
}

export interface ProbeOptions {
  /** Bounds the whole handshake; default 5000. */
  timeoutMs?: number;
}

const PROTOCOL_VERSION = "2025-06-18";
const CLIENT_INFO = { name: "mcps", version: "0.1.0" };
const DEFAULT_TIMEOUT_MS = 5000;
/** A server that paginates forever must not keep the probe busy. */
const MAX_TOOL_PAGES = 20;
/** Ending a session runs after the deadline too (a session leaks a process); a healthy server answers in ms. */
const CLOSE_BUDGET_MS = 1000;

/** How the handshake talks to a server; one implementation per transport. */
interface Channel {
  /** Sends a request and returns its result; throws a ProbeError naming the method. */
  request(method: string, id: number, params: object): Promise<Record<string, unknown>>;
  notify(method: string): Promise<void>;
  /** The version later messages announce in the mcp-protocol-version header. */
  useVersion(version: string): void;
  /** Ends the session and releases the connection; never throws. */
  close(): Promise<void>;
}

interface Link {
  url: string;
  signal: AbortSignal;
  dispatcher: Dispatcher;
}

interface JsonRpcMessage {
  id?: unknown;
  result?: unknown;
  error?: { code?: unknown; message?: unknown };
}

type Response = Dispatcher.ResponseData;
type HttpInit = { method: "GET" | "POST"; headers: Record<string, string>; body?: string };

export async function probeMcp(url: string, transport: Transport, opts: ProbeOptions = {}): Promise<ProbeResult> {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(), timeoutMs);
  // A private agent per probe: destroying it guarantees no socket or open event stream outlives the probe.
  const link: Link = { url, signal: deadline.signal, dispatcher: new Agent() };
  const report: ProbeResult = { ok: false, latencyMs: 0 };
  const startedMs = performance.now();
  let channel: Channel | undefined;
  try {
    const work = (async () => {
      channel = transport === "sse" ? await legacySse(link) : streamableHttp(link);
      await handshake(channel, report);
    })();
    work.catch(() => {}); // it may lose the race below and reject later, once the agent is destroyed
    await Promise.race([work, rejectOnAbort(deadline.signal)]);
    report.ok = true;
  } catch (err) {
    report.error = deadline.signal.aborted ? `no answer in ${timeoutMs} ms` : oneLine(describe(err));
    if (report.protocolVersion === undefined) report.latencyMs = roundMs(performance.now() - startedMs);
  } finally {
    clearTimeout(timer);
    await channel?.close();
    await link.dispatcher.destroy().catch(() => {});
  }
  return report;
}

async function handshake(channel: Channel, report: ProbeResult): Promise<void> {
  const sentMs = performance.now();
  const init = await channel.request("initialize", 1, {
    protocolVersion: PROTOCOL_VERSION,
    capabilities: {},
    clientInfo: CLIENT_INFO,
  });
  report.latencyMs = roundMs(performance.now() - sentMs);
  if (typeof init.protocolVersion !== "string") throw new ProbeError("initialize: the result has no protocolVersion");
  const info = (init.serverInfo ?? {}) as Record<string, unknown>;
  if (typeof info.name === "string") report.serverName = info.name;
  if (typeof info.version === "string") report.serverVersion = info.version;
  report.protocolVersion = init.protocolVersion;
  channel.useVersion(init.protocolVersion);
  await channel.notify("notifications/initialized");
  report.tools = await countTools(channel);
}

async function countTools(channel: Channel): Promise<number> {
  let count = 0;
  let cursor: string | undefined;
  for (let page = 0; page < MAX_TOOL_PAGES; page++) {
    const result = await channel.request("tools/list", 2 + page, cursor === undefined ? {} : { cursor });
    if (!Array.isArray(result.tools)) throw new ProbeError("tools/list: the result has no tools array");
    count += result.tools.length;
    if (typeof result.nextCursor !== "string" || result.nextCursor === "") break;
    cursor = result.nextCursor;
  }
  return count;
}

/** Streamable HTTP: every message is a POST; the answer comes back as JSON or as an event stream. */
function streamableHttp(link: Link): Channel {
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

/** Legacy HTTP+SSE: a GET stream names an endpoint to POST to, and carries every answer back. */
async function legacySse(link: Link): Promise<Channel> {
  const get = await send("GET", link.url, { method: "GET", headers: { accept: "text/event-stream" } }, link);
  const next = eventReader(get.body);
  const close = async () => {
    get.body.destroy();
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
    await res.body.dump();
  };
  return {
    async request(method, id, params) {
      await post(method, { jsonrpc: "2.0", id, method, params });
      return resultOf(method, await awaitAnswer(method, next, id));
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

/** Reads events until the response to `id`; notifications and server requests on the way are skipped. */
async function awaitAnswer(method: string, next: () => Promise<SseEvent | undefined>, id: number): Promise<JsonRpcMessage> {
  for (;;) {
    const event = await next();
    if (!event) throw new ProbeError(`${method}: the event stream ended without an answer`);
    if (event.event !== "message") continue;
    const found = matching(parseJson(event.data), id);
    if (found) return found;
  }
}

/** One HTTP exchange; a network failure or a non-2xx status becomes a ProbeError naming the step. */
async function send(step: string, url: string, init: HttpInit, link: Link): Promise<Response> {
  let res: Response;
  try {
    res = await request(url, { ...init, signal: link.signal, dispatcher: link.dispatcher });
  } catch (err) {
    throw new ProbeError(`${step}: ${describe(err)}`);
  }
  if (res.statusCode >= 200 && res.statusCode < 300) return res;
  const body = (await res.body.text().catch(() => "")).slice(0, 200);
  throw new ProbeError(`${step} answered HTTP ${res.statusCode}${body ? `: ${body}` : ""}`);
}

function resultOf(method: string, message: JsonRpcMessage): Record<string, unknown> {
  if (message.error !== undefined) {
    const { code, message: text } = message.error ?? {};
    throw new ProbeError(`${method} failed: ${typeof text === "string" ? text : "no message"} (JSON-RPC error ${String(code)})`);
  }
  if (typeof message.result !== "object" || message.result === null) throw new ProbeError(`${method}: the answer has no result`);
  return message.result as Record<string, unknown>;
}

/** The response to `id` in a message or a batch; anything else (or not JSON) is not it. */
function matching(json: unknown, id: number): JsonRpcMessage | undefined {
  const messages = Array.isArray(json) ? json : [json];
  return messages.find(
    (m): m is JsonRpcMessage => typeof m === "object" && m !== null && m.id === id && ("result" in m || "error" in m),
  );
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function header(res: Response, name: string): string | undefined {
  const value = res.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Network errors carry the useful part in `code` (ECONNREFUSED); some (AggregateError) have no message at all. */
function describe(err: unknown): string {
  if (err instanceof ProbeError) return err.message;
  const e = (typeof err === "object" && err !== null ? err : {}) as { code?: unknown; message?: unknown };
  const code = typeof e.code === "string" ? e.code : undefined;
  const message = typeof e.message === "string" && e.message !== "" ? e.message : undefined;
  if (code && message) return message.includes(code) ? message : `${message} (${code})`;
  return code ?? message ?? String(err);
}

function rejectOnAbort(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => signal.addEventListener("abort", () => reject(signal.reason), { once: true }));
}

const oneLine = (text: string) => text.replace(/\s+/g, " ").trim();
const roundMs = (ms: number) => Math.round(ms * 10) / 10;
