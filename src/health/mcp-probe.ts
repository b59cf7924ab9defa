/**
 * A real MCP exchange with a server, in whichever protocol revision it speaks: 2026-07-28 first
 * (`server/discover`, then `tools/list`, stateless), and the 2025 handshake (initialize,
 * notifications/initialized, tools/list, DELETE of the session) for a server that turns that away.
 * An open port proves little: a server is healthy when it answers in a revision and lists its tools.
 * The rules for each answer are the ones the in-container check uses too (mcp-protocol.ts).
 *
 * A RevisionMemory, kept by a long-lived caller (serve, start --wait), remembers what each server spoke, so
 * the next probe of a 2026-07-28 server is one round trip (tools/list) and a 2025 one skips the discover.
 * The probe never throws: every failure becomes ok:false with one line saying why, which status can print as is.
 */
import { ProbeError } from "../errors.js";
import { legacySse } from "./legacy-sse-channel.js";
import { shared } from "./mcp-protocol.js";
import { modernHttp, type ModernChannel } from "./modern-http-channel.js";
import { describe, oneLine, rejectOnAbort, resultOf, roundMs, type Channel, type Link } from "./probe-channel.js";
import { oneShotHttp, type ProbeHttp } from "./probe-http.js";
import { streamableHttp } from "./streamable-http-channel.js";

export type Transport = "streamable-http" | "sse";
export type Revision = "modern" | "legacy";
/** What each server (by URL) last spoke. */
export type RevisionMemory = Map<string, Revision>;

export interface ProbeResult {
  ok: boolean;
  /** Round trip of the first request the server answered. */
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
  /** Bounds the whole exchange; default 5000. */
  timeoutMs?: number;
  memory?: RevisionMemory;
  /** The HTTP client; default one connection per request. A long-lived caller passes its pool (pooled-http.ts). */
  http?: ProbeHttp;
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
  const link: Link = { url, signal: deadline.signal, http: opts.http ?? oneShotHttp };
  const report: Report = { ok: false, latencyMs: 0, startedMs: performance.now() };
  const channels: Channel[] = [];
  try {
    const work = exchange(link, transport, opts.memory, report, channels);
    work.catch(() => {}); // it may lose the race below and reject later, once the deadline aborts it
    await Promise.race([work, rejectOnAbort(deadline.signal)]);
    report.ok = true;
  } catch (err) {
    report.error = deadline.signal.aborted ? `no answer in ${Math.round(timeoutMs)} ms` : oneLine(describe(err));
    if (report.protocolVersion === undefined) report.latencyMs = roundMs(performance.now() - report.startedMs);
  } finally {
    clearTimeout(timer);
    await Promise.all(channels.map((c) => c.close()));
    deadline.abort();
  }
  const { startedMs: _, ...result } = report;
  return result;
}

interface Report extends ProbeResult {
  startedMs: number;
}

async function exchange(link: Link, transport: Transport, memory: RevisionMemory | undefined, report: Report, channels: Channel[]) {
  const legacy = async () => {
    const channel = transport === "sse" ? await legacySse(link) : streamableHttp(link);
    channels.push(channel);
    await handshake(channel, report);
    memory?.set(link.url, "legacy");
  };
  if (transport === "sse") return legacy(); // the older transport has no 2026-07-28 form
  const known = memory?.get(link.url);
  if (known === "modern") {
    try {
      return await listModern(modernHttp(link, CLIENT_INFO), report, 1);
    } catch (err) {
      if (!(err instanceof ProbeError && err.legacy)) throw err;
      memory?.delete(link.url); // it changed revision (a recreate to an older image): negotiate again
    }
  } else if (known === "legacy") {
    return legacy(); // a server that moves to 2026-07-28 only still answers initialize (-32022); status says why
  }
  try {
    return await discover(link, report, memory);
  } catch (err) {
    if (!(err instanceof ProbeError && err.legacy)) throw err;
    // A 2025 server: its own handshake's answer (and latency, and failure) is the one to report.
    report.latencyMs = 0;
    try {
      await legacy();
    } catch (second) {
      throw new ProbeError(shared.whichFailure(describe(err), describe(second)));
    }
  }
}

async function discover(link: Link, report: Report, memory: RevisionMemory | undefined): Promise<void> {
  const channel = modernHttp(link, CLIENT_INFO);
  const answer = await timed(report, () => channel.request("server/discover", 1, {}));
  const verdict = shared.discoverVerdict(answer);
  if (!verdict.ok) throw new ProbeError(verdict.error, { legacy: verdict.legacy ?? false });
  learned(report, verdict);
  memory?.set(link.url, "modern");
  await listModern(channel, report, 2);
}

/** tools/list in 2026-07-28: also a full proof of life on its own, with the server's name in the result's _meta. */
async function listModern(channel: ModernChannel, report: Report, firstId: number): Promise<void> {
  report.tools = await toolNames(async (id, params) => {
    const result = resultOf("tools/list", await timed(report, () => channel.request("tools/list", id, params)));
    if (report.protocolVersion === undefined) learned(report, { protocolVersion: shared.MODERN_VERSION, ...shared.modernInfo(result) });
    return result;
  }, firstId);
}

async function handshake(channel: Channel, report: Report): Promise<void> {
  const answer = await timed(report, () => channel.request("initialize", 1, shared.initializeParams(CLIENT_INFO.name, CLIENT_INFO.version)));
  const verdict = shared.initializeVerdict(answer);
  if (!verdict.ok) throw new ProbeError(verdict.error);
  learned(report, verdict);
  channel.useVersion(verdict.protocolVersion);
  await channel.notify("notifications/initialized");
  report.tools = await toolNames(async (id, params) => resultOf("tools/list", await channel.request("tools/list", id, params)), 2);
}

function learned(report: Report, about: { protocolVersion: string; serverName?: string; serverVersion?: string }): void {
  report.protocolVersion = about.protocolVersion;
  if (about.serverName !== undefined) report.serverName = about.serverName;
  if (about.serverVersion !== undefined) report.serverVersion = about.serverVersion;
}

/** Records the round trip of the first answered request as the probe's latency. */
async function timed<T>(report: Report, send: () => Promise<T>): Promise<T> {
  const sentMs = performance.now();
  const answer = await send();
  if (report.latencyMs === 0) report.latencyMs = roundMs(performance.now() - sentMs);
  return answer;
}

type ListPage = (id: number, params: object) => Promise<Record<string, unknown>>;

async function toolNames(page: ListPage, firstId: number): Promise<string[]> {
  const names: string[] = [];
  let cursor: string | undefined;
  for (let n = 0; n < MAX_TOOL_PAGES; n++) {
    const result = await page(firstId + n, cursor === undefined ? {} : { cursor });
    if (!Array.isArray(result.tools)) throw new ProbeError("tools/list: the result has no tools array");
    for (const tool of result.tools as Array<{ name?: unknown }>) names.push(typeof tool?.name === "string" ? tool.name : "?");
    if (typeof result.nextCursor !== "string" || result.nextCursor === "") break;
    cursor = result.nextCursor;
  }
  return names;
}
