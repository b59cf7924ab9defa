/**
 * A stand-in for `mcps serve` in the dashboard's browser tests: the real assets, a fleet the test
 * controls, an SSE stream the test pushes into, and recorded POSTs. Loopback only. It speaks the
 * same contract as serve (GET /, /assets/<name>, /api/fleet, /api/events, POST start/stop, a
 * bearer token when configured), so the page is tested without Docker.
 */
import { readFile } from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import type { FleetView, ServerView } from "../../assets/dashboard/fleet.js";
import { ROOT } from "./cli.js";

export type { FleetView, ServerView };

export interface Post {
  path: string;
  origin: string | undefined;
  authorization: string | undefined;
}

const ASSETS = path.join(ROOT, "assets/dashboard");
const TYPES: Record<string, string> = { ".html": "text/html", ".js": "text/javascript", ".css": "text/css", ".svg": "image/svg+xml" };

export function server(customer: string, name: string, type: string, i: number, over: Partial<ServerView> = {}): ServerView {
  return {
    customer,
    customerName: name,
    type,
    service: `mcp-${type}-${customer}`,
    url: `http://127.0.0.1:${20000 + i}/mcp`,
    transport: "streamable-http",
    state: "running",
    health: "healthy",
    verdict: "ok",
    ok: true,
    latencyMs: 10 + (i % 40),
    tools: [`${type}_search`, `${type}_get`],
    toolsTotal: 2,
    protocolVersion: "2026-07-28",
    error: null,
    restarts: 0,
    probedAt: "2026-01-01T12:00:00.000Z",
    ...over,
  };
}

/** n customers, each with every type, all running and healthy. */
export function fleetOf(n: number, types = ["grafana", "alertmanager", "genesys"]): FleetView {
  const customers = Array.from({ length: n }, (_, i) => ({
    id: `cust-${String(i).padStart(2, "0")}`,
    name: `Customer ${i}`,
    mcp_types: types,
    state: "running" as const,
  }));
  const servers = customers.flatMap((c, i) => types.map((t, j) => server(c.id, c.name, t, i * types.length + j)));
  return { project: "mcps", customers, types, servers, config: { ok: true, error: null, loadedAt: "2026-01-01T12:00:00.000Z" } };
}

export interface FakeApi {
  url: string;
  fleet: FleetView;
  posts: Post[];
  /** Requests to /api/fleet and /api/events, with the Authorization header each carried. */
  requests: Array<{ path: string; authorization: string | undefined }>;
  streams(): number;
  push(event: string, data: unknown): void;
  /** Ends every open event stream, as a restarting serve would. */
  dropStreams(): void;
  /** Holds POST answers until the returned function is called. */
  holdPosts(): () => void;
  postAnswer: { status: number; body: unknown };
  close(): Promise<void>;
}

export async function fakeApi(fleet: FleetView, token?: string): Promise<FakeApi> {
  const open = new Set<http.ServerResponse>();
  let gate: Promise<void> = Promise.resolve();
  const api: Omit<FakeApi, "url" | "close"> = {
    fleet,
    posts: [],
    requests: [],
    streams: () => open.size,
    push(event, data) {
      for (const res of open) res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    },
    dropStreams() {
      for (const res of open) res.end();
      open.clear();
    },
    holdPosts() {
      let release = () => {};
      gate = new Promise((r) => (release = r));
      return release;
    },
    postAnswer: { status: 200, body: { ok: true } },
  };
  const srv = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    const send = (status: number, type: string, body: string | Buffer) => res.writeHead(status, { "content-type": type }).end(body);
    const authorized = !token || req.headers.authorization === `Bearer ${token}`;
    if (url.pathname.startsWith("/api/")) api.requests.push({ path: url.pathname, authorization: req.headers.authorization });
    if (url.pathname.startsWith("/api/") && !authorized)
      return send(401, "application/json", JSON.stringify({ error: { code: "unauthorized", message: "token" } }));
    if (req.method === "GET" && (url.pathname === "/" || url.pathname.startsWith("/assets/"))) {
      const name = url.pathname === "/" ? "index.html" : path.basename(url.pathname);
      const file = await readFile(path.join(ASSETS, name)).catch(() => null);
      if (!file) return send(404, "text/plain", "not found");
      // The strictest sensible policy, to prove the page needs no inline script, style or remote asset.
      res.setHeader("content-security-policy", "default-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'");
      return send(200, TYPES[path.extname(name)] ?? "application/octet-stream", file);
    }
    if (req.method === "GET" && url.pathname === "/api/fleet") return send(200, "application/json", JSON.stringify(api.fleet));
    if (req.method === "GET" && url.pathname === "/api/events") {
      res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-store" });
      res.write(": hello\n\n");
      open.add(res);
      req.on("close", () => open.delete(res));
      return;
    }
    if (req.method === "POST" && /^\/api\/customers\/[^/]+\/(start|stop)$/.test(url.pathname)) {
      api.posts.push({ path: url.pathname, origin: req.headers.origin, authorization: req.headers.authorization });
      await gate;
      return send(api.postAnswer.status, "application/json", JSON.stringify(api.postAnswer.body));
    }
    send(404, "application/json", JSON.stringify({ error: { code: "not_found", message: "no such route" } }));
  });
  await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
  const { port } = srv.address() as AddressInfo;
  return Object.assign(api as FakeApi, {
    url: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise<void>((r) => {
        api.dropStreams();
        srv.closeAllConnections();
        srv.close(() => r());
      }),
  });
}
