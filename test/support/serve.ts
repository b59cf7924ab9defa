/**
 * Helpers for `mcps serve` tests: raw HTTP requests (node:http, so a test can send any Host or
 * Origin header, which fetch would not), an SSE reader, and a served fake fleet for unit tests.
 */
import { writeFileSync } from "node:fs";
import { request } from "node:http";
import path from "node:path";
import type { ContainerEngine } from "../../src/engine/container-engine.js";
import type { Prober } from "../../src/orchestrate/heal.js";
import { parseServeOptions, type RawServeOptions } from "../../src/serve/options.js";
import { runServe, type ServeDeps, type ServeHandle } from "../../src/serve/serve.js";
import { workspace } from "./workspace.js";

export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: () => any;
}

export function call(
  base: string,
  pathname: string,
  opts: { method?: string; headers?: Record<string, string>; body?: unknown; timeoutMs?: number } = {},
): Promise<Reply> {
  const url = new URL(pathname, base);
  const body = opts.body === undefined ? undefined : typeof opts.body === "string" ? opts.body : JSON.stringify(opts.body);
  return new Promise((resolve, reject) => {
    const req = request(url, { method: opts.method ?? "GET", headers: opts.headers ?? {}, timeout: opts.timeoutMs ?? 120_000 }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (d) => (text += d));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: () => JSON.parse(text) }));
    });
    req.on("timeout", () => req.destroy(new Error(`${pathname}: no answer in time`)));
    req.on("error", reject);
    req.end(body);
  });
}

export interface SseEvent {
  event: string;
  data: any;
}

/** Collects events of GET /api/events until close(). */
export function sseReader(base: string, headers: Record<string, string> = {}): { events: SseEvent[]; comments: string[]; close(): void } {
  const events: SseEvent[] = [];
  const comments: string[] = [];
  let buffer = "";
  const req = request(new URL("/api/events", base), { headers }, (res) => {
    res.setEncoding("utf8");
    res.on("data", (chunk: string) => {
      buffer += chunk;
      let end = buffer.indexOf("\n\n");
      while (end >= 0) {
        const frame = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (frame.startsWith(":")) comments.push(frame.slice(1).trim());
        else {
          const name = /^event: (.*)$/m.exec(frame)?.[1] ?? "message";
          const data = /^data: (.*)$/m.exec(frame)?.[1] ?? "null";
          events.push({ event: name, data: JSON.parse(data) });
        }
        end = buffer.indexOf("\n\n");
      }
    });
  });
  req.on("error", () => undefined);
  req.end();
  return { events, comments, close: () => req.destroy() };
}

export async function until(check: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export interface Served {
  dir: string;
  handle: ServeHandle;
  base: string;
  logs: string[];
  writeConfig(config: unknown): void;
}

/** runServe in this process on a free loopback port, over a workspace holding the config and catalog. */
export async function serveWorkspace(
  config: unknown,
  engine: ContainerEngine,
  opts: Partial<RawServeOptions> & { catalog?: string; probe?: Prober; env?: NodeJS.ProcessEnv; credentials?: string } & Partial<ServeDeps> = {},
): Promise<Served> {
  const dir = workspace(config, opts.catalog);
  if (opts.credentials !== undefined) writeFileSync(path.join(dir, "mcp_credentials.env"), opts.credentials);
  const logs: string[] = [];
  const raw: RawServeOptions = {
    listen: opts.listen ?? "127.0.0.1:0",
    probeInterval: opts.probeInterval ?? "10s",
    ...(opts.idleStop !== undefined && { idleStop: opts.idleStop }),
    ...(opts.tokenEnv !== undefined && { tokenEnv: opts.tokenEnv }),
    ...(opts.auditLog !== undefined && { auditLog: opts.auditLog }),
  };
  const { listen: _l, probeInterval: _p, idleStop: _i, tokenEnv: _t, auditLog: _a, catalog: _c, env, credentials: _cr, ...deps } = opts;
  const handle = await runServe(
    { config: path.join(dir, "mcp_servers.json"), catalog: path.join(dir, "mcps") },
    parseServeOptions(raw, env ?? process.env),
    { engine, log: (l) => logs.push(l), ...deps, ...(env && { env }) },
  );
  const base = `http://127.0.0.1:${handle.port}`;
  return {
    dir,
    handle,
    base,
    logs,
    writeConfig: (c) => writeFileSync(path.join(dir, "mcp_servers.json"), JSON.stringify(c, null, 2)),
  };
}
