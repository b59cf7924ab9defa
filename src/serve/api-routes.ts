/**
 * The HTTP API over the held fleet and the per-customer operations. Reads answer from the FleetStore
 * (no engine query); writes go through Operations (single flight, bounded parallelism).
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { customerId } from "./customer-id.js";
import type { EventStream } from "./event-stream.js";
import type { FleetStore } from "./fleet-store.js";
import { HttpError, jsonBody, sendJson, sendText } from "./http-kit.js";
import type { ServeMetrics } from "./metrics.js";
import type { Operations } from "./operations.js";
import { CLIENTS, sendClientConfig } from "./client-route.js";
import { asset, DASHBOARD_HEADERS } from "./static-assets.js";
import type { ServedGateway } from "../gateway/serve-gateway.js";
import { Gateway } from "../gateway/gateway.js";

export interface RouteContext {
  store: FleetStore;
  ops: Operations;
  events: EventStream;
  metrics: ServeMetrics;
  gateway: ServedGateway;
  assetsDir?: URL;
}

/** The customer's gateway endpoint, at the address the client reached serve by (Host passed the guard). */
const gatewayUrl = (req: IncomingMessage, id: string) => Gateway.url(`http://${req.headers.host}`, id);

function customerDetail(store: FleetStore, id: string, gateway_url: string) {
  const c = store.customers().find((x) => x.id === id)!;
  const views = store.servers().filter((v) => v.customer === id);
  return {
    id: c.id,
    name: c.name,
    mcp_types: c.mcp_types,
    servers: views.map((v) => ({ type: v.type, url: v.url, transport: v.transport, state: v.state, health: v.health, ok: v.ok, tools: v.tools })),
    tools: views.flatMap((v) => v.tools),
    gateway_url,
  };
}

async function switchBody(req: IncomingMessage): Promise<string> {
  // Form encodings and text/plain are what a browser may send cross-site without asking first; only
  // JSON (or no type at all, as a bare program sends) is read.
  const type = req.headers["content-type"];
  if (type !== undefined && !/^application\/json\s*(;|$)/i.test(type)) {
    throw new HttpError(415, "unsupported_media_type", "the body must be application/json");
  }
  const body = (await jsonBody(req)) as { customer?: unknown } | null;
  if (typeof body !== "object" || body === null || typeof body.customer !== "string" || body.customer === "") {
    throw new HttpError(400, "bad_request", 'expected a JSON body {"customer": "<id or name>"}');
  }
  return body.customer;
}

const CUSTOMER_ACTION = /^\/api\/customers\/([^/]+)\/(start|stop)$/;
const CUSTOMER = /^\/api\/customers\/([^/]+)$/;

const segment = (raw: string): string => {
  try {
    return decodeURIComponent(raw);
  } catch {
    throw new HttpError(400, "bad_request", "the customer in the path is not valid percent-encoding");
  }
};

/** GET routes that read the held view (and the event stream). */
const READS: Record<string, (ctx: RouteContext, res: ServerResponse) => void | Promise<void>> = {
  "/healthz": (_ctx, res) => sendText(res, 200, "ok", "text/plain; charset=utf-8"),
  "/metrics": async (ctx, res) => sendText(res, 200, await ctx.metrics.registry.metrics(), ctx.metrics.registry.contentType),
  // HEAD gets the headers only: a stream attached for it would never end.
  "/api/events": (ctx, res) => (res.req.method === "HEAD" ? sendText(res, 200, "", "text/event-stream; charset=utf-8") : ctx.events.attach(res)),
  "/api/fleet": (ctx, res) => sendJson(res, 200, ctx.store.fleet()),
  "/api/status": async (ctx, res) => sendText(res, 200, await ctx.store.statusText(), "application/json; charset=utf-8"),
  "/api/customers": (ctx, res) => sendJson(res, 200, { customers: ctx.store.customers() }),
};

/** Handles the request, or returns false when no route matches the path. */
export async function route(ctx: RouteContext, req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> {
  const path = url.pathname;
  const m = req.method ?? "GET";
  const get = m === "GET" || m === "HEAD";
  const { store, ops } = ctx;
  const wrongMethod = (allowed: string) => {
    throw new HttpError(405, "method_not_allowed", `${m} is not allowed here; use ${allowed}`);
  };
  const read = READS[path];
  if (read) {
    if (!get) wrongMethod("GET");
    await read(ctx, res);
    return true;
  }
  if (path === "/" || path.startsWith("/assets/")) {
    if (!get) wrongMethod("GET");
    const file = await asset(path === "/" ? "index.html" : path.slice("/assets/".length), ctx.assetsDir);
    if (!file) throw new HttpError(404, "not_found", "no such file");
    for (const [name, value] of Object.entries(DASHBOARD_HEADERS)) res.setHeader(name, value);
    sendText(res, 200, file.body, file.type);
    return true;
  }
  if (path === "/api/customers/switch" && m === "POST") {
    const id = customerId(store, await switchBody(req));
    sendJson(res, 200, { ...(await ops.switchTo(id)), gateway_url: gatewayUrl(req, id) });
    return true;
  }
  const action = CUSTOMER_ACTION.exec(path);
  if (action) {
    if (m !== "POST") wrongMethod("POST");
    const id = customerId(store, segment(action[1]!));
    const services = action[2] === "start" ? await ops.start(id) : await ops.stop(id);
    sendJson(res, 200, { customer: id, services });
    return true;
  }
  const clients = CLIENTS.exec(path);
  if (clients) {
    if (!get) wrongMethod("GET");
    sendClientConfig(store, res, segment(clients[1]!), url.searchParams);
    return true;
  }
  const one = CUSTOMER.exec(path);
  if (one) {
    if (!get) wrongMethod("GET");
    const id = customerId(store, segment(one[1]!));
    sendJson(res, 200, customerDetail(store, id, gatewayUrl(req, id)));
    return true;
  }
  return false;
}
