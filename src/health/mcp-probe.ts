/**
 * A real MCP client handshake (initialize, notifications/initialized, tools/list) over either HTTP transport.
 * An open port proves little: a server is healthy when it can negotiate a protocol version and list its tools.
 * The probe never throws: every failure becomes ok:false with one line saying why, which status can print as is.
 */
import { Agent } from "undici";
import { ProbeError } from "../errors.js";
import { legacySse } from "./legacy-sse-channel.js";
import { describe, oneLine, rejectOnAbort, roundMs, type Channel, type Link } from "./probe-channel.js";
import { streamableHttp } from "./streamable-http-channel.js";

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
