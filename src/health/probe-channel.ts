/** What the MCP probe's transports share: the Channel they implement and the JSON-RPC/HTTP helpers. */
import { request } from "undici";
import type { Dispatcher } from "undici";
import { ProbeError } from "../errors.js";
import type { SseEvent } from "./sse.js";

/** How the handshake talks to a server; one implementation per transport. */
export interface Channel {
  /** Sends a request and returns its result; throws a ProbeError naming the method. */
  request(method: string, id: number, params: object): Promise<Record<string, unknown>>;
  notify(method: string): Promise<void>;
  /** The version later messages announce in the mcp-protocol-version header. */
  useVersion(version: string): void;
  /** Ends the session and releases the connection; never throws. */
  close(): Promise<void>;
}

export interface Link {
  url: string;
  signal: AbortSignal;
  dispatcher: Dispatcher;
}

export interface JsonRpcMessage {
  id?: unknown;
  result?: unknown;
  error?: { code?: unknown; message?: unknown };
}

export type Response = Dispatcher.ResponseData;
export type HttpInit = { method: "GET" | "POST"; headers: Record<string, string>; body?: string };

/** One HTTP exchange; a network failure or a non-2xx status becomes a ProbeError naming the step. */
export async function send(step: string, url: string, init: HttpInit, link: Link): Promise<Response> {
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

export function resultOf(method: string, message: JsonRpcMessage): Record<string, unknown> {
  if (message.error !== undefined) {
    const { code, message: text } = message.error ?? {};
    throw new ProbeError(`${method} failed: ${typeof text === "string" ? text : "no message"} (JSON-RPC error ${String(code)})`);
  }
  if (typeof message.result !== "object" || message.result === null) throw new ProbeError(`${method}: the answer has no result`);
  return message.result as Record<string, unknown>;
}

/** The response to `id` in a message or a batch; anything else (or not JSON) is not it. */
export function matching(json: unknown, id: number): JsonRpcMessage | undefined {
  const messages = Array.isArray(json) ? json : [json];
  return messages.find(
    (m): m is JsonRpcMessage => typeof m === "object" && m !== null && m.id === id && ("result" in m || "error" in m),
  );
}

export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export function header(res: Response, name: string): string | undefined {
  const value = res.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Network errors carry the useful part in `code` (ECONNREFUSED); some (AggregateError) have no message at all. */
export function describe(err: unknown): string {
  if (err instanceof ProbeError) return err.message;
  const e = (typeof err === "object" && err !== null ? err : {}) as { code?: unknown; message?: unknown };
  const code = typeof e.code === "string" ? e.code : undefined;
  const message = typeof e.message === "string" && e.message !== "" ? e.message : undefined;
  if (code && message) return message.includes(code) ? message : `${message} (${code})`;
  return code ?? message ?? String(err);
}

export function rejectOnAbort(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => signal.addEventListener("abort", () => reject(signal.reason), { once: true }));
}

export const oneLine = (text: string) => text.replace(/\s+/g, " ").trim();
export const roundMs = (ms: number) => Math.round(ms * 10) / 10;

/** Reads events until the response to `id`; notifications and server requests on the way are skipped. */
export async function awaitAnswer(method: string, next: () => Promise<SseEvent | undefined>, id: number): Promise<JsonRpcMessage> {
  for (;;) {
    const event = await next();
    if (!event) throw new ProbeError(`${method}: the event stream ended without an answer`);
    if (event.event !== "message") continue;
    const found = matching(parseJson(event.data), id);
    if (found) return found;
  }
}
