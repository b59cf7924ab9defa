/**
 * /mcp/<customer> on `mcps serve`: one MCP endpoint per customer over its servers. The path names a
 * customer (id, or name URL-encoded); the caller is checked (gateway-auth.ts); a stopped customer is
 * woken through serve's own single flight (bounded by --wake-timeout); then the SDK handler of that
 * customer answers (2026-07-28), or its 2025 sessions do (legacy-sessions.ts). Container changes, config reloads and backends' list_changed drop the cached
 * listings and tell listening clients `notifications/tools/list_changed`.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { createMcpHandler, isLegacyRequest, type McpHttpHandler } from "@modelcontextprotocol/server";
import { MODERN_VERSION } from "../health/mcp-protocol.js";
import { resolveCustomer } from "../plan/select.js";
import type { FleetStore } from "../serve/fleet-store.js";
import type { ServerView } from "../serve/fleet-types.js";
import { BackendPool } from "./backend-pool.js";
import { CustomerTools } from "./customer-tools.js";
import { gatewayCaller } from "./gateway-auth.js";
import { type CallRecord, gatewayServerFactory } from "./gateway-server.js";
import { DEFAULT_SESSION_LIMITS, LegacySessions, type SessionLimits } from "./legacy-sessions.js";
import { BodyTooLarge, parseJson, readBody, sendWebResponse, webRequest } from "./web-exchange.js";

export interface GatewayDeps {
  store: FleetStore;
  /** Starts the customer (serve's single flight) and lists its tools; resolves when it answers. */
  wake: (customerId: string) => Promise<unknown>;
  /** Counts as use for --idle-stop. */
  touch: (customerId: string) => void;
  wakeTimeoutMs: number;
  adminToken?: string;
  /** serve listens on a non-loopback address: every customer's endpoint needs a token. */
  exposed: boolean;
  /** Where token variables are read (serve's environment). */
  env: NodeJS.ProcessEnv;
  onCall: (r: CallRecord) => void;
  log: (line: string) => void;
  /** Bounds of one backend request; defaults below. */
  connectTimeoutMs?: number;
  requestTimeoutMs?: number;
  /** Bounds of the 2025 sessions (legacy-sessions.ts); defaults there. */
  sessions?: Partial<SessionLimits>;
}

export const GATEWAY_PATH = /^\/mcp\/([^/]+)$/;

/** A JSON-RPC error with no id (the request was never read as one), with the HTTP status given. */
function refuse(res: ServerResponse, status: number, message: string, headers: Record<string, string> = {}): void {
  if (res.headersSent) return void res.destroy();
  const body = JSON.stringify({ jsonrpc: "2.0", id: null, error: { code: -32600, message } });
  res.writeHead(status, { "content-type": "application/json", "cache-control": "no-store", ...headers }).end(body);
}

const signature = (v: ServerView) => `${v.state}|${v.verdict}|${v.restarts}|${v.tools.join(",")}`;

export class Gateway {
  private readonly handlers = new Map<string, McpHttpHandler>();
  private readonly seen = new Map<string, ServerView>();
  private readonly pool: BackendPool;
  readonly tools: CustomerTools;
  /** The 2025 clients' sessions; read by tests for their count. */
  readonly sessions: LegacySessions;
  private readonly unsubscribe: () => void;

  constructor(private readonly d: GatewayDeps) {
    this.pool = new BackendPool({
      connectTimeoutMs: d.connectTimeoutMs ?? 5000,
      requestTimeoutMs: d.requestTimeoutMs ?? 120_000,
      onListChanged: (service) => {
        const s = d.store.service(service);
        if (s) this.changed(s.customerId);
      },
      runOf: (s) => d.store.held.byName(s.containerName)?.startedAt,
    });
    this.tools = new CustomerTools(d.store, this.pool);
    this.sessions = new LegacySessions((id) => this.factory(id), { ...DEFAULT_SESSION_LIMITS, ...d.sessions });
    for (const v of d.store.servers()) this.seen.set(v.service, v);
    this.unsubscribe = d.store.on((name, data) => {
      if (name === "config") return this.reloaded();
      if (name === "state" || name === "health" || name === "probe") this.viewChanged(data as ServerView);
    });
  }

  private viewChanged(v: ServerView): void {
    const before = this.seen.get(v.service);
    this.seen.set(v.service, v);
    if (before && signature(before) === signature(v)) return;
    // The container stopped, restarted or was replaced: its connection (and 2025 session) is gone.
    if (!before || before.state !== v.state || before.restarts !== v.restarts || (v.verdict !== "ok" && v.verdict !== "starting"))
      this.pool.drop(v.service);
    this.changed(v.customer);
  }

  private reloaded(): void {
    for (const name of [...this.seen.keys()]) {
      if (this.d.store.service(name)) continue;
      // Gone from the config: its connection goes too.
      this.seen.delete(name);
      this.pool.drop(name);
    }
    for (const v of this.d.store.servers()) this.viewChanged(v);
    // A customer gone from the config takes its sessions along; every listener, of a customer still
    // planned or one a handler was made for, is told of the change.
    const customers = this.d.store.customerIds();
    this.sessions.closeWhere((id) => !customers.has(id));
    for (const id of new Set([...this.handlers.keys(), ...customers])) this.changed(id);
  }

  private changed(customerId: string): void {
    this.tools.invalidate(customerId);
    const h = this.handlers.get(customerId);
    h?.notify.toolsChanged();
    h?.notify.promptsChanged();
    h?.notify.resourcesChanged();
    this.sessions.changed(customerId);
  }

  private factory(customerId: string) {
    return gatewayServerFactory(customerId, { tools: this.tools, pool: this.pool, onCall: this.d.onCall });
  }

  private handler(customerId: string): McpHttpHandler {
    const known = this.handlers.get(customerId);
    if (known) return known;
    // 2026-07-28 only: 2025 traffic is routed to the sessions before it gets here (handle()).
    const made = createMcpHandler(this.factory(customerId), {
      legacy: "reject",
      maxSubscriptions: 256,
      onerror: () => undefined,
    });
    this.handlers.set(customerId, made);
    return made;
  }

  /** The customer the path names: id first, then name; undefined when there is none (or it is ambiguous). */
  customer(segment: string): string | undefined {
    let wanted: string;
    try {
      wanted = decodeURIComponent(segment);
    } catch {
      return undefined;
    }
    // An id (what clients are given) is one indexed lookup; a name is rarer and scans the plan.
    if (this.d.store.customerServices(wanted).length > 0) return wanted;
    const plan = this.d.store.plan;
    if (!plan.services.some((s) => s.customerName === wanted)) return undefined;
    try {
      return resolveCustomer(plan, wanted);
    } catch {
      return undefined;
    }
  }

  private caller(customerId: string, authorization: string | undefined): string | undefined {
    const tokenVar = this.d.store.customerServices(customerId)[0]?.gatewayTokenEnv;
    return gatewayCaller(authorization, {
      ...(this.d.adminToken !== undefined && { admin: this.d.adminToken }),
      ...(tokenVar !== undefined && { customerVar: tokenVar }),
      ...(tokenVar !== undefined && this.d.env[tokenVar] !== undefined && { customerValue: this.d.env[tokenVar] }),
      exposed: this.d.exposed,
    });
  }

  /**
   * A stopped (or stale) server of the customer is started. When nothing of the customer is usable the
   * request waits for it (never longer than --wake-timeout); otherwise the others answer meanwhile.
   */
  private async wake(customerId: string): Promise<void> {
    this.d.touch(customerId);
    const views = this.d.store.customerServices(customerId).flatMap((s) => this.d.store.view(s.name) ?? []);
    if (!views.some((v) => v.verdict === "stopped" || v.verdict === "stale")) return;
    const woken = this.d.wake(customerId).then(
      () => undefined,
      (e: unknown) => this.d.log(`mcps serve: gateway wake of ${customerId} failed: ${(e as Error)?.message ?? e}`),
    );
    if (views.some((v) => v.verdict === "ok" || v.verdict === "starting")) return;
    let timer: NodeJS.Timeout | undefined;
    const limit = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, this.d.wakeTimeoutMs);
    });
    await Promise.race([woken, limit]).finally(() => clearTimeout(timer));
  }

  /**
   * The SDK's classification, skipped for a POSTed request or notification whose MCP-Protocol-Version
   * header names 2026-07-28: the SDK routes every such POST to the modern path (it answers a missing
   * envelope itself), and the modern handler classifies again anyway, so asking first would pay for it
   * twice on every call (test/unit/gateway-classify.test.ts holds the SDK to that).
   */
  private isLegacy(req: IncomingMessage, request: Request, parsedBody: unknown): Promise<boolean> {
    const isCall = typeof parsedBody === "object" && parsedBody !== null && typeof (parsedBody as { method?: unknown }).method === "string";
    if (req.method === "POST" && isCall && req.headers["mcp-protocol-version"] === MODERN_VERSION) return Promise.resolve(false);
    return isLegacyRequest(request, parsedBody);
  }

  async handle(req: IncomingMessage, res: ServerResponse, url: URL, segment: string): Promise<void> {
    const customerId = this.customer(segment);
    if (!customerId) return refuse(res, 404, "no customer with that id or name");
    const caller = this.caller(customerId, req.headers.authorization);
    if (!caller) return refuse(res, 401, "this endpoint needs Authorization: Bearer <token>", { "www-authenticate": 'Bearer realm="mcps"' });
    const aborted = new AbortController();
    res.once("close", () => res.writableFinished || aborted.abort());
    let body: Buffer | undefined;
    try {
      body = req.method === "POST" ? await readBody(req) : undefined;
    } catch (e) {
      if (e instanceof BodyTooLarge) return refuse(res, 413, "the request body is too large", { connection: "close" });
      throw e;
    }
    // JSON-RPC batches left MCP in 2025-06-18; the SDK's stateless 2025 leg would still answer one.
    if (body && /^\s*\[/.test(body.subarray(0, 64).toString("utf8"))) return refuse(res, 400, "JSON-RPC batches are not accepted");
    await this.wake(customerId);
    const parsedBody = parseJson(body);
    // The SDK is given the parsed body; the bytes go along only when they are not JSON (its parse error).
    const request = webRequest(req, url, parsedBody === undefined ? body : undefined, aborted.signal);
    const authInfo = { token: "", clientId: caller, scopes: [] };
    // The SDK's own classification decides the revision (isLegacy: only where it must say modern), so the
    // two legs can never disagree with it.
    const response = (await this.isLegacy(req, request, parsedBody))
      ? await this.sessions.handle(customerId, request, parsedBody, authInfo)
      : await this.handler(customerId).fetch(request, { authInfo, ...(parsedBody !== undefined && { parsedBody }) });
    await sendWebResponse(res, response, aborted.signal);
  }

  /** What `gateway_url` fields carry: the endpoint of a customer on this serve. */
  static url(base: string, customerId: string): string {
    return `${base}/mcp/${encodeURIComponent(customerId)}`;
  }

  async close(): Promise<void> {
    this.unsubscribe();
    this.sessions.close();
    await Promise.allSettled([...this.handlers.values()].map((h) => h.close()));
    await this.pool.close();
  }
}
