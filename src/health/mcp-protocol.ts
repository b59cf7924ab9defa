/**
 * The host's copy of the one MCP exchange (probe-source.ts): the shared text compiled once, with node:http,
 * for mcp-probe.ts, plus the types of what it returns. The container check inlines the same text.
 */
import http, { type IncomingHttpHeaders } from "node:http";
import { SHARED_PROBE_SOURCE } from "./probe-source.js";

export interface SseEvent {
  /** The `event:` field, "message" when absent. */
  event: string;
  /** Every `data:` line of the event, joined with "\n". */
  data: string;
  id?: string;
}

export interface JsonRpcMessage {
  id?: unknown;
  result?: unknown;
  error?: { code?: unknown; message?: unknown };
}

/** What a handshake step concluded; `legacy` marks a 2026-07-28 refusal, after which the 2025 handshake is tried. */
export type Verdict =
  | { ok: true; protocolVersion: string; serverName?: string; serverVersion?: string }
  | { ok: false; error: string; legacy?: boolean };

/**
 * A response as the shared reader uses it: node's IncomingMessage, or undici's body stream carrying the
 * status and headers (pooled-http.ts). Both are node Readables with lower-case header names.
 */
export interface HttpAnswer extends AsyncIterable<string | Buffer> {
  statusCode?: number;
  headers: IncomingHttpHeaders;
  setEncoding(encoding: BufferEncoding): unknown;
  /** Ends the response; on a pooled connection, the connection too (an open event stream is never reused). */
  destroy(): unknown;
  /** Reads the rest and drops it, so a pooled connection can serve the next request. */
  resume(): unknown;
}

/** The shared functions, typed for the host. */
export interface SharedProbe {
  /** The revision with `server/discover` and a per-request envelope, tried first. */
  MODERN_VERSION: string;
  /** The version our 2025 `initialize` asks for; servers answer with the one they speak. */
  LEGACY_VERSION: string;
  /** A 2026-07-28 request's params: the caller's, plus the `_meta` envelope (version, client info, capabilities). */
  modernParams(params: object, name: string, version: string): object;
  /** The HTTP headers every 2026-07-28 request carries. */
  modernHeaders(method: string): Record<string, string>;
  /** The server name and version a 2026-07-28 result carries in its `_meta`. */
  modernInfo(result: Record<string, unknown>): { serverName?: string; serverVersion?: string };
  /** The params of our initialize request: the protocol version we ask for, no capabilities. */
  initializeParams(name: string, version: string): object;
  parseJson(text: string): unknown;
  answerTo(json: unknown, id: number): JsonRpcMessage | undefined;
  /** Why a JSON-RPC answer is a failure (an error, or no result object); undefined when it has a result. */
  rpcFailure(method: string, message: JsonRpcMessage): string | undefined;
  initializeVerdict(message: JsonRpcMessage): Verdict;
  /** ok when the server lists 2026-07-28 among its versions; any answer short of that is a legacy refusal. */
  discoverVerdict(message: JsonRpcMessage): Verdict;
  /**
   * Which failure to report when both revisions failed: the 2025 one (the server is a 2025 one), unless its
   * answer was "unsupported protocol version" (-32022): then the server speaks only 2026-07-28, and why that failed is the news.
   */
  whichFailure(modernError: string, legacyError: string): string;
  describeError(err: unknown): string;
  sseParser(): (chunk: string) => SseEvent[];
  /** One HTTP request over node:http, always `connection: close`; resolves with the response head. */
  exchange(url: string | URL, opts: { method: string; headers: Record<string, string>; body?: string; signal?: AbortSignal }): Promise<HttpAnswer>;
  /** Why a response is a failure (not 2xx, with the start of its body), or undefined. */
  statusFailure(step: string, res: HttpAnswer): Promise<string | undefined>;
  /** The answer to `id` from a JSON body, or from an event stream read only until the answer (it may stay open). */
  readAnswer(step: string, res: HttpAnswer, id: number): Promise<{ message: JsonRpcMessage } | { error: string }>;
}

const NAMES = [
  "MODERN_VERSION",
  "LEGACY_VERSION",
  "modernParams",
  "modernHeaders",
  "modernInfo",
  "initializeParams",
  "parseJson",
  "answerTo",
  "rpcFailure",
  "initializeVerdict",
  "discoverVerdict",
  "whichFailure",
  "describeError",
  "sseParser",
  "exchange",
  "statusFailure",
  "readAnswer",
];

/** Compiled once from the very text the container runs (our own constant, never user input). */
export const shared = new Function("http", `${SHARED_PROBE_SOURCE}\nreturn { ${NAMES.join(", ")} };`)(http) as SharedProbe;

export const { MODERN_VERSION, LEGACY_VERSION } = shared;
