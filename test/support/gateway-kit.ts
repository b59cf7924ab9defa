/**
 * Gateway tests in-process: real MCP backends on 127.0.0.1 ephemeral ports (SDK v2 strict and dual
 * servers with several tools, the SDK v1 2025 server of sdk-mcp-servers.ts), a fake engine, and serve
 * over a config whose servers are pinned to those ports. Clients: SDK v2 (2026-07-28) and v1 (2025).
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Client as ModernClient, StreamableHTTPClientTransport as ModernTransport } from "@modelcontextprotocol/client";
import { createMcpHandler, McpServer } from "@modelcontextprotocol/server";
import { Client as LegacyClient } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport as LegacyTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import * as z from "zod";
import path from "node:path";
import { ROOT } from "./cli.js";
import { FakeEngine } from "./fake-engine.js";

export const GATEWAY_CATALOG = path.join(ROOT, "test/fixtures/gateway-catalog");

export interface ToolBackend {
  url: string;
  port: number;
  /** tools/call requests it answered, by tool name. */
  calls: string[];
  /** Replace the tool set (the next listing shows it). */
  setTools(names: string[]): void;
  close(): Promise<void>;
}

/** A test backend's request as the SDK's web-standard handler takes it. */
export function askHandler(handler: { fetch(r: Request): Promise<Response> }, req: IncomingMessage, body: Buffer): Promise<Response> {
  const headers = new Headers();
  for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers.set(k, v);
  return handler.fetch(new Request(`http://127.0.0.1${req.url}`, { method: req.method!, headers, ...(req.method === "POST" && { body }) }));
}

/** The handler's answer written back, event by event for a stream. */
export async function relay(res: ServerResponse, answer: Response): Promise<void> {
  res.writeHead(answer.status, Object.fromEntries(answer.headers));
  if (answer.body) for await (const chunk of answer.body) res.write(chunk);
  res.end();
}

/** An SDK v2 server whose tools answer `<label>:<tool>:<text>`. Strict: 2026-07-28 only. */
export async function toolBackend(label: string, tools: string[], strict = false, port = 0): Promise<ToolBackend> {
  const calls: string[] = [];
  let names = tools;
  const factory = () => {
    const server = new McpServer({ name: `backend-${label}`, version: "1.0.0" });
    for (const name of names) {
      server.registerTool(name, { description: `${label} ${name}`, inputSchema: z.object({ text: z.string() }) }, async ({ text }) => {
        calls.push(name);
        if (text === "fail") return { content: [{ type: "text", text: "tool failed" }], isError: true };
        return { content: [{ type: "text", text: `${label}:${name}:${text}` }] };
      });
    }
    // One prompt and one resource each, so pass-through and routing by owner can be seen.
    server.registerPrompt("brief", { description: `${label} brief` }, async () => ({
      messages: [{ role: "user", content: { type: "text", text: `${label} brief` } }],
    }));
    server.registerResource("notes", `notes://${label}/today`, { mimeType: "text/plain" }, async (uri) => ({
      contents: [{ uri: uri.href, text: `${label} notes` }],
    }));
    return server;
  };
  const handler = createMcpHandler(factory, strict ? { legacy: "reject" } : {});
  const http = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    await relay(res, await askHandler(handler, req, Buffer.concat(chunks)));
  });
  await new Promise<void>((resolve) => http.listen(port, "127.0.0.1", resolve));
  const bound = (http.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${bound}/mcp`,
    port: bound,
    calls,
    setTools: (next) => {
      names = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        http.closeAllConnections();
        http.close(() => resolve());
      }),
  };
}

/** A fake engine that has the gateway catalog's images, so a start pulls and builds nothing. */
export function gatewayEngine(): FakeEngine {
  const engine = new FakeEngine();
  for (const t of ["north", "south", "old"]) engine.images.set(`example.invalid/${t}:1.0`, `sha256:${t}`);
  return engine;
}

type CallResult = { content?: Array<{ type: string; text?: string }>; isError?: boolean };
export const textOf = (r: unknown) => (r as CallResult).content?.find((c) => c.type === "text")?.text;

/** onToolsChanged: the client listens (2026-07-28 subscriptions/listen) and is told when the tools change. */
export async function modernClient(url: string, token?: string, onToolsChanged?: () => void): Promise<ModernClient> {
  const client = new ModernClient(
    { name: "gateway-test", version: "1.0.0" },
    { versionNegotiation: { mode: "auto" }, ...(onToolsChanged && { listChanged: { tools: { onChanged: onToolsChanged } } }) },
  );
  const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  await client.connect(new ModernTransport(new URL(url), { requestInit: { headers } }));
  return client;
}

export async function legacyClient(url: string, token?: string): Promise<LegacyClient> {
  const client = new LegacyClient({ name: "gateway-test", version: "1.0.0" });
  const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  await client.connect(new LegacyTransport(new URL(url), { requestInit: { headers } }));
  return client;
}
