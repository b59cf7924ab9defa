/**
 * The node:http server: the guard (security.ts) before any route, then the routes, then errors as
 * `{ "error": { "code", "message" } }`. Logs errors only, never a request line.
 */
import { createServer, type Server } from "node:http";
import { EngineUnreachableError, PortConflictError } from "../errors.js";
import { type RouteContext, route } from "./api-routes.js";
import { HttpError, sendError } from "./http-kit.js";
import { checkFraming, checkRequest, type Guard } from "./security.js";
import { GATEWAY_PATH } from "../gateway/gateway.js";

/**
 * How long a client may take to send its request (headers and body). A body that never ends would
 * otherwise hold its connection for node's default of 5 minutes; no client of ours is that slow.
 */
export const REQUEST_TIMEOUT_MS = 10_000;

export function apiServer(ctx: RouteContext, guard: Guard, log: (line: string) => void, requestTimeoutMs = REQUEST_TIMEOUT_MS): Server {
  const limits = {
    requestTimeout: requestTimeoutMs,
    headersTimeout: requestTimeoutMs,
    // How often node looks for requests past their time; its default (30 s) would triple the limit.
    connectionsCheckingInterval: Math.min(1000, requestTimeoutMs),
  };
  return createServer(limits, async (req, res) => {
    try {
      const framing = checkFraming(req);
      const url = new URL(req.url ?? "/", "http://serve.invalid");
      // /mcp/<customer> checks its own tokens (the customer's or serve's); Host and Origin as everywhere.
      const gateway = framing ? null : GATEWAY_PATH.exec(url.pathname);
      const refused =
        framing ??
        checkRequest(gateway ? { allowedHosts: guard.allowedHosts } : guard, {
          method: req.method ?? "GET",
          path: new URL(req.url ?? "/", "http://serve.invalid").pathname,
          headers: { host: req.headers.host, origin: req.headers.origin, authorization: req.headers.authorization },
        });
      if (refused) {
        // The body was not read: close the connection rather than parse what follows it.
        res.setHeader("connection", "close");
        return sendError(res, refused.status, refused.code, refused.message);
      }
      if (gateway) return await ctx.gateway.gateway.handle(req, res, url, gateway[1]!);
      if (!(await route(ctx, req, res, url))) sendError(res, 404, "not_found", "no such route");
    } catch (e) {
      if (res.headersSent) return void res.destroy();
      if (e instanceof HttpError) return sendError(res, e.status, e.code, e.message);
      if (e instanceof PortConflictError) return sendError(res, 409, "port_conflict", e.conflicts.join("; "));
      if (e instanceof EngineUnreachableError) return sendError(res, 503, "engine_unreachable", e.message);
      const message = e instanceof Error ? e.message : String(e);
      log(`mcps serve: ${req.method} ${new URL(req.url ?? "/", "http://serve.invalid").pathname} failed: ${message.split("\n")[0]}`);
      sendError(res, 500, "internal", message.split("\n")[0] ?? "internal error");
    }
  });
}
