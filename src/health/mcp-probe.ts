/**
 * A real MCP client handshake (initialize, notifications/initialized, tools/list) over either HTTP transport.
 * An open port proves little: a server is healthy when it can negotiate a protocol version and list its tools.
 * Whether initialize succeeded is decided by the rule the in-container check uses too (mcp-protocol.ts).
 * The probe never throws: every failure becomes ok:false with one line saying why, which status can print as is.
 */
import { ProbeError } from "../errors.js";
import { legacySse } from "./legacy-sse-channel.js";
import { shared } from "./mcp-protocol.js";
import { describe, oneLine, rejectOnAbort, resultOf, roundMs, type Channel, type Link } from "./probe-channel.js";
import { streamableHttp } from "./streamable-http-channel.js";

export type Transport = "streamable-http" | "sse";

export interface ProbeResult {
  ok: boolean;
  /** Round trip of the initialize request. */
  latencyMs: number;
  protocolVersion?: string;
  serverName?: string;
  serverVersion?: string;
  /** The names of the tools the server lists, in its order. */
  tools?: string[];
  /** One line, why it failed (HTTP status, JSON-RPC error message, timeout, ECONNREFUSED...). */
  error?: string;
}

export interface ProbeOptions {
  /** Bounds the whole handshake; default 5000. */
  timeoutMs?: number;
}

const CLIENT_INFO = { name: "mcps", version: "0.1.0" };
const DEFAULT_TIMEOUT_MS = 5000;
/** A server that paginates forever must not keep the probe busy. */
const MAX_TOOL_PAGES = 20;

export async function probeMcp(url: string, transport: Transport, opts: ProbeOptions = {}): Promise<ProbeResult> {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(), timeoutMs);
  // Aborting the deadline also ends every request and open event stream of this probe.
  const link: Link = { url, signal: deadline.signal };
  const report: ProbeResult = { ok: false, latencyMs: 0 };
  const startedMs = performance.now();
  let channel: Channel | undefined;
  try {
    const work = (async () => {
      channel = transport === "sse" ? await legacySse(link) : streamableHttp(link);
      await handshake(channel, report);
    })();
    work.catch(() => {}); // it may lose the race below and reject later, once the deadline aborts it
    await Promise.race([work, rejectOnAbort(deadline.signal)]);
    report.ok = true;
  } catch (err) {
    report.error = deadline.signal.aborted ? `no answer in ${timeoutMs} ms` : oneLine(describe(err));
    if (report.protocolVersion === undefined) report.latencyMs = roundMs(performance.now() - startedMs);
  } finally {
    clearTimeout(timer);
    await channel?.close();
    deadline.abort();
  }
  return report;
}

async function handshake(channel: Channel, report: ProbeResult): Promise<void> {
  const sentMs = performance.now();
  const answer = await channel.request("initialize", 1, shared.initializeParams(CLIENT_INFO.name, CLIENT_INFO.version));
  report.latencyMs = roundMs(performance.now() - sentMs);
  const verdict = shared.initializeVerdict(answer);
  if (!verdict.ok) throw new ProbeError(verdict.error);
  report.protocolVersion = verdict.protocolVersion;
  if (verdict.serverName !== undefined) report.serverName = verdict.serverName;
  if (verdict.serverVersion !== undefined) report.serverVersion = verdict.serverVersion;
  channel.useVersion(verdict.protocolVersion);
  await channel.notify("notifications/initialized");
  report.tools = await toolNames(channel);
}

async function toolNames(channel: Channel): Promise<string[]> {
  const names: string[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < MAX_TOOL_PAGES; page++) {
    const result = resultOf("tools/list", await channel.request("tools/list", 2 + page, cursor === undefined ? {} : { cursor }));
    if (!Array.isArray(result.tools)) throw new ProbeError("tools/list: the result has no tools array");
    for (const tool of result.tools as Array<{ name?: unknown }>) names.push(typeof tool?.name === "string" ? tool.name : "?");
    if (typeof result.nextCursor !== "string" || result.nextCursor === "") break;
    cursor = result.nextCursor;
  }
  return names;
}
