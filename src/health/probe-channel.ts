/**
 * What the MCP probe's transports share: the Channel they implement and the HTTP helpers. HTTP goes through
 * the link's client (probe-http.ts): the shared node:http exchange the in-container check uses, or a
 * caller's pool of keep-alive connections. Either way the answers are read by the same shared code.
 */
import { ProbeError } from "../errors.js";
import { type HttpAnswer, shared, type JsonRpcMessage, type SseEvent } from "./mcp-protocol.js";
import type { ProbeHttp } from "./probe-http.js";

export type { JsonRpcMessage };

/** How the handshake talks to a server; one implementation per transport. */
export interface Channel {
  /** Sends a request and returns the JSON-RPC answer to it; throws a ProbeError naming the method. */
  request(method: string, id: number, params: object): Promise<JsonRpcMessage>;
  notify(method: string): Promise<void>;
  /** The version later messages announce in the mcp-protocol-version header. */
  useVersion(version: string): void;
  /** Ends the session and releases the connection; never throws. */
  close(): Promise<void>;
}

export interface Link {
  url: string;
  signal: AbortSignal;
  http: ProbeHttp;
}

/**
 * One HTTP exchange; a network failure or a non-2xx status becomes a ProbeError naming the step.
 * `statusError` marks the status failures (a 2026-07-28 request: any answered error means "try 2025").
 */
export async function send(
  step: string,
  url: string,
  init: { method: string; headers: Record<string, string>; body?: string },
  link: Link,
  statusError: { legacy?: boolean } = {},
): Promise<HttpAnswer> {
  let res: HttpAnswer;
  try {
    res = await link.http.exchange(url, { ...init, signal: link.signal });
  } catch (err) {
    throw new ProbeError(`${step}: ${describe(err)}`);
  }
  const failure = await shared.statusFailure(step, res);
  if (failure) throw new ProbeError(failure, statusError);
  return res;
}

/** The result of an answer; a JSON-RPC error or a missing result becomes a ProbeError naming the method. */
export function resultOf(method: string, message: JsonRpcMessage): Record<string, unknown> {
  const failure = shared.rpcFailure(method, message);
  if (failure) throw new ProbeError(failure);
  return message.result as Record<string, unknown>;
}

/** Network errors carry the useful part in `code` (ECONNREFUSED); ours carry a whole line. */
export function describe(err: unknown): string {
  return err instanceof ProbeError ? err.message : shared.describeError(err);
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
    const found = shared.answerTo(shared.parseJson(event.data), id);
    if (found) return found;
  }
}
