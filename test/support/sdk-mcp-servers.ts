/**
 * Real MCP servers, in-process on 127.0.0.1, built with the official SDKs, one of each kind mcps must
 * speak to: a strict 2026-07-28 server (SDK v2, `legacy: 'reject'`), a dual one (SDK v2 default: 2026-07-28
 * and stateless 2025), and a 2025-only one (SDK v1, sessions). Each has one tool, `echo`.
 */
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { createMcpHandler, McpServer } from "@modelcontextprotocol/server";
import { McpServer as McpServerV1 } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import * as z from "zod";

export type SdkServerKind = "strict" | "dual" | "v1";

export interface SdkServer {
  kind: SdkServerKind;
  url: string;
  port: number;
  /** How many requests each method got (to see that a probe is one round trip). */
  methods: Map<string, number>;
  close(): Promise<void>;
}

export const SDK_SERVER_INFO = { name: "sdk-test", version: "4.5.6" };

function v2Handler(kind: "strict" | "dual") {
  const factory = () => {
    const server = new McpServer(SDK_SERVER_INFO);
    server.registerTool("echo", { description: "echo", inputSchema: z.object({ text: z.string() }) }, async ({ text }) => ({
      content: [{ type: "text", text }],
    }));
    return server;
  };
  const handler = createMcpHandler(factory, kind === "strict" ? { legacy: "reject" } : {});
  return async (req: IncomingMessage, body: Buffer, res: ServerResponse) => {
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers.set(k, v);
    const hasBody = req.method === "POST";
    const answer = await handler.fetch(new Request(`http://127.0.0.1${req.url}`, { method: req.method, headers, ...(hasBody && { body }) }));
    res.writeHead(answer.status, Object.fromEntries(answer.headers));
    if (answer.body) for await (const chunk of answer.body) res.write(chunk);
    res.end();
  };
}

function v1Handler() {
  const sessions = new Map<string, StreamableHTTPServerTransport>();
  return async (req: IncomingMessage, body: Buffer, res: ServerResponse) => {
    const parsed = body.length ? JSON.parse(body.toString("utf8")) : undefined;
    const sid = req.headers["mcp-session-id"];
    let transport = typeof sid === "string" ? sessions.get(sid) : undefined;
    if (!transport) {
      if (parsed?.method !== "initialize") {
        res.writeHead(400, { "content-type": "application/json" });
        res.end(JSON.stringify({ jsonrpc: "2.0", error: { code: -32000, message: "Bad Request: No valid session ID provided" }, id: null }));
        return;
      }
      const t: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
        sessionIdGenerator: randomUUID,
        onsessioninitialized: (id: string): void => void sessions.set(id, t),
      });
      t.onclose = () => void (t.sessionId && sessions.delete(t.sessionId));
      const server = new McpServerV1(SDK_SERVER_INFO);
      server.registerTool("echo", { description: "echo", inputSchema: { text: z.string() } }, async ({ text }) => ({
        content: [{ type: "text", text }],
      }));
      await server.connect(t);
      transport = t;
    }
    await transport!.handleRequest(req, res, parsed);
  };
}

/** port: listen there (a restarted server on its old port); default an ephemeral one. */
export async function startSdkServer(kind: SdkServerKind, port = 0): Promise<SdkServer> {
  const handle = kind === "v1" ? v1Handler() : v2Handler(kind);
  const methods = new Map<string, number>();
  const http = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    const method = body.length ? String(JSON.parse(body.toString("utf8"))?.method) : req.method!;
    methods.set(method, (methods.get(method) ?? 0) + 1);
    await handle(req, body, res).catch(() => res.headersSent || res.writeHead(500).end());
  });
  await new Promise<void>((resolve) => http.listen(port, "127.0.0.1", resolve));
  const bound = (http.address() as AddressInfo).port;
  return {
    kind,
    url: `http://127.0.0.1:${bound}/mcp`,
    port: bound,
    methods,
    close: () =>
      new Promise<void>((resolve) => {
        http.closeAllConnections();
        http.close(() => resolve());
      }),
  };
}

export async function withSdkServer<T>(kind: SdkServerKind, fn: (s: SdkServer) => Promise<T>): Promise<T> {
  const server = await startSdkServer(kind);
  try {
    return await fn(server);
  } finally {
    await server.close();
  }
}
