/**
 * MCP sessions on both protocol revisions, for the stdio bridge tests: the SDK v2 client negotiating
 * (`auto`: 2026-07-28 when the server offers it) and the SDK v1 client (2025-era `initialize`).
 * Each session connects, lists the tools, optionally calls `echo`, and closes.
 */
import { Client as ModernClient, StreamableHTTPClientTransport as ModernTransport } from "@modelcontextprotocol/client";
import { Client as LegacyClient } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport as LegacyTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";

export type Revision = "modern" | "legacy";

export interface SessionResult {
  revision: Revision;
  protocolVersion: string | undefined;
  tools: string[];
  /** The text of echo's answer, when a message was given. */
  echo?: string;
}

type CallResult = { content?: Array<{ type: string; text?: string }> };
const textOf = (r: CallResult) => r.content?.find((c) => c.type === "text")?.text;

export async function modernSession(url: string, message?: string): Promise<SessionResult> {
  const client = new ModernClient({ name: "mcps-bridge-test", version: "1.0.0" }, { versionNegotiation: { mode: "auto" } });
  await client.connect(new ModernTransport(new URL(url)));
  try {
    const tools = (await client.listTools()).tools.map((t) => t.name).sort();
    const echo = message === undefined ? undefined : textOf((await client.callTool({ name: "echo", arguments: { message } })) as CallResult);
    return { revision: "modern", protocolVersion: client.getNegotiatedProtocolVersion(), tools, ...(echo !== undefined && { echo }) };
  } finally {
    await client.close();
  }
}

export async function legacySession(url: string, message?: string): Promise<SessionResult> {
  const client = new LegacyClient({ name: "mcps-bridge-test", version: "1.0.0" });
  const transport = new LegacyTransport(new URL(url));
  await client.connect(transport);
  try {
    const tools = (await client.listTools()).tools.map((t) => t.name).sort();
    const echo = message === undefined ? undefined : textOf((await client.callTool({ name: "echo", arguments: { message } })) as CallResult);
    return { revision: "legacy", protocolVersion: transport.protocolVersion, tools, ...(echo !== undefined && { echo }) };
  } finally {
    await client.close();
  }
}

/** A 2026-07-28 session kept open, for calls that outlive one exchange (progress, a killed child). */
export async function openModern(url: string): Promise<ModernClient> {
  const client = new ModernClient({ name: "mcps-bridge-test", version: "1.0.0" }, { versionNegotiation: { mode: "auto" } });
  await client.connect(new ModernTransport(new URL(url)));
  return client;
}

/**
 * One bare 2025-era tools/list POST (the stateless legacy leg needs no session): "ok", the HTTP
 * status of a refusal ("503"), "rpc-error" for a JSON-RPC error, or "down" when nothing answers.
 */
export async function bareToolsList(url: string): Promise<string> {
  try {
    const res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json, text/event-stream" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }),
      signal: AbortSignal.timeout(5000),
    });
    const text = await res.text();
    if (res.status !== 200) return String(res.status);
    return /"tools":\[/.test(text) ? "ok" : "rpc-error";
  } catch {
    return "down";
  }
}
