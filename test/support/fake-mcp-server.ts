/**
 * An in-process MCP server on 127.0.0.1 for probe tests: both HTTP transports, spoken correctly enough
 * that a wrong probe fails (missing session or protocol-version headers are refused, as real servers do),
 * plus the ways real servers go wrong: an HTTP error status, no answer at all, a JSON-RPC error.
 */
import { randomUUID } from "node:crypto";
import { createServer } from "node:http";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as delay } from "node:timers/promises";

export interface FakeMcpOptions {
  /** Default "streamable-http", served at /mcp; legacy "sse" is served at /sse with POSTs to /messages. */
  transport?: "streamable-http" | "sse";
  /** Streamable HTTP: answer POSTs with a JSON body (default) or an event stream. */
  reply?: "json" | "sse";
  /** Streamable HTTP with reply "sse": leave the stream open after the answer, as some servers do. */
  keepStreamOpen?: boolean;
  /** Write every event in two pieces a moment apart, so clients see events split across chunks. */
  splitWrites?: boolean;
  /** How many tools tools/list reports (default 3), and how many per page (default all). */
  tools?: number;
  pageSize?: number;
  /** Answer every request with this HTTP status. */
  status?: number;
  /** Never answer anything. */
  hang?: boolean;
  /** initialize answers with this JSON-RPC error message. */
  rpcError?: string;
  /** initialize answers with a result that lacks protocolVersion (the rest as usual). */
  omitProtocolVersion?: boolean;
  /** Wait this long before answering each request: a slow server. */
  delayMs?: number;
}

export interface FakeMcpServer {
  /** What a client is given: the /mcp or /sse URL. */
  url: string;
  port: number;
  path: string;
  counts: { initialize: number; initialized: number; toolsList: number; deletes: number };
  openSessions(): number;
  /** TCP connections accepted so far: how many a client opened (keep-alive reuses them). */
  connections(): number;
  close(): Promise<void>;
}

type Message = { jsonrpc?: string; id?: number | string; method?: string; params?: Record<string, unknown> };
interface Session {
  version: string;
  /** Legacy SSE: the GET stream that carries the answers. */
  stream?: ServerResponse;
}

export const SERVER_INFO = { name: "fake-mcp", version: "9.9.9" };

export async function startFakeMcpServer(opts: FakeMcpOptions = {}): Promise<FakeMcpServer> {
  const legacy = opts.transport === "sse";
  const path = legacy ? "/sse" : "/mcp";
  const sessions = new Map<string, Session>();
  const counts = { initialize: 0, initialized: 0, toolsList: 0, deletes: 0 };
  const openStreams = new Set<ServerResponse>();
  const toolCount = opts.tools ?? 3;
  const pageSize = opts.pageSize ?? Math.max(toolCount, 1);

  /** The protocol itself, shared by both transports; undefined for notifications. */
  const answer = (m: Message, session: Session | undefined): object | undefined => {
    if (m.id === undefined) {
      if (m.method === "notifications/initialized") counts.initialized++;
      return undefined;
    }
    const ok = (result: object) => ({ jsonrpc: "2.0", id: m.id, result });
    const fail = (code: number, message: string) => ({ jsonrpc: "2.0", id: m.id, error: { code, message } });
    if (m.method === "initialize") {
      counts.initialize++;
      if (opts.rpcError) return fail(-32602, opts.rpcError);
      const version = String(m.params?.protocolVersion ?? "");
      if (opts.omitProtocolVersion) return ok({ capabilities: { tools: {} }, serverInfo: SERVER_INFO });
      return ok({ protocolVersion: version, capabilities: { tools: {} }, serverInfo: SERVER_INFO });
    }
    if (!session) return fail(-32600, "not initialized");
    if (m.method === "tools/list") {
      counts.toolsList++;
      const start = Number(m.params?.cursor ?? 0);
      if (!Number.isInteger(start) || start < 0) return fail(-32602, "bad cursor");
      const end = Math.min(start + pageSize, toolCount);
      const tools = Array.from({ length: end - start }, (_, i) => ({
        name: `tool_${start + i}`,
        description: `fake tool ${start + i}`,
        inputSchema: { type: "object" },
      }));
      return ok(end < toolCount ? { tools, nextCursor: String(end) } : { tools });
    }
    return fail(-32601, `method not found: ${m.method}`);
  };

  const writeEvent = async (res: ServerResponse, event: string, data: string) => {
    const text = `event: ${event}\ndata: ${data}\n\n`;
    if (!opts.splitWrites) return void res.write(text);
    const cut = text.indexOf("data: ") + 10;
    res.write(text.slice(0, cut));
    await delay(15);
    if (!res.destroyed) res.write(text.slice(cut));
  };

  const streamable = async (req: IncomingMessage, res: ServerResponse, body: string) => {
    const sid = req.headers["mcp-session-id"];
    const session = typeof sid === "string" ? sessions.get(sid) : undefined;
    if (req.method === "DELETE") {
      counts.deletes++;
      return void res.writeHead(typeof sid === "string" && sessions.delete(sid) ? 200 : 404).end();
    }
    if (req.method !== "POST") return void res.writeHead(405, { allow: "POST, DELETE" }).end();
    const accept = req.headers.accept ?? "";
    if (!accept.includes("application/json") || !accept.includes("text/event-stream")) {
      return void res.writeHead(406).end("Not Acceptable: accept both application/json and text/event-stream");
    }
    const m = parse(body);
    if (!m) return void res.writeHead(400).end("Parse error");
    const headers: Record<string, string> = {};
    if (m.method === "initialize") {
      if (!opts.rpcError) {
        const id = randomUUID();
        sessions.set(id, { version: String(m.params?.protocolVersion) });
        headers["mcp-session-id"] = id;
      }
    } else {
      if (!session) return void res.writeHead(sid ? 404 : 400).end(sid ? "Session not found" : "Missing session id");
      if (req.headers["mcp-protocol-version"] !== session.version) return void res.writeHead(400).end("Bad protocol version");
    }
    const reply = answer(m, session);
    if (!reply) return void res.writeHead(202).end();
    if (opts.reply !== "sse") return void res.writeHead(200, { ...headers, "content-type": "application/json" }).end(JSON.stringify(reply));
    res.writeHead(200, { ...headers, "content-type": "text/event-stream", "cache-control": "no-cache" });
    res.write(": a comment the client must ignore\n\n");
    await writeEvent(res, "message", JSON.stringify({ jsonrpc: "2.0", method: "notifications/message", params: { level: "info", data: "hi" } }));
    await writeEvent(res, "message", JSON.stringify(reply));
    if (opts.keepStreamOpen) openStreams.add(res);
    else res.end();
  };

  const legacySse = async (req: IncomingMessage, res: ServerResponse, url: URL, body: string) => {
    if (req.method === "GET" && url.pathname === "/sse") {
      const id = randomUUID();
      sessions.set(id, { version: "", stream: res });
      res.on("close", () => sessions.delete(id));
      res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
      return writeEvent(res, "endpoint", `/messages?sessionId=${id}`);
    }
    if (req.method !== "POST" || url.pathname !== "/messages") return void res.writeHead(404).end();
    const session = sessions.get(url.searchParams.get("sessionId") ?? "");
    if (!session?.stream) return void res.writeHead(404).end("Session not found");
    const m = parse(body);
    if (!m) return void res.writeHead(400).end("Parse error");
    res.writeHead(202).end("Accepted");
    const reply = answer(m, m.method === "initialize" ? undefined : session);
    if (reply) await writeEvent(session.stream, "message", JSON.stringify(reply));
  };

  const server = createServer((req, res) => {
    if (opts.hang) return;
    if (opts.status) return void res.writeHead(opts.status, { "content-type": "text/plain" }).end(`fake failure ${opts.status}`);
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => (body += chunk));
    req.on("end", async () => {
      if (opts.delayMs) await delay(opts.delayMs);
      if (res.destroyed) return;
      if (!legacy && url.pathname !== path) return void res.writeHead(404).end();
      void (legacy ? legacySse(req, res, url, body) : streamable(req, res, body));
    });
  });
  let connections = 0;
  server.on("connection", () => connections++);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}${path}`,
    port,
    path,
    counts,
    openSessions: () => sessions.size,
    connections: () => connections,
    close: async () => {
      for (const res of openStreams) res.end();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function parse(body: string): Message | undefined {
  try {
    const m: unknown = JSON.parse(body);
    return typeof m === "object" && m !== null && !Array.isArray(m) ? (m as Message) : undefined;
  } catch {
    return undefined;
  }
}

/** Runs body against a fresh fake server, and always closes it. */
export async function withServer(opts: FakeMcpOptions, body: (s: FakeMcpServer) => Promise<void>): Promise<void> {
  const server = await startFakeMcpServer(opts);
  try {
    await body(server);
  } finally {
    await server.close();
  }
}
