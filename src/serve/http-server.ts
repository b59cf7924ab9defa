/**
 * The node:http server: the guard (security.ts) before any route, then the routes, then errors as
 * `{ "error": { "code", "message" } }`. Logs errors only, never a request line.
 */
import { createServer, type Server } from "node:http";
import { McpsError } from "../errors.js";
import { type RouteContext, route } from "./api-routes.js";
import { HttpError, sendError } from "./http-kit.js";
import { checkRequest, type Guard } from "./security.js";

export function apiServer(ctx: RouteContext, guard: Guard, log: (line: string) => void): Server {
  return createServer(async (req, res) => {
    try {
      const refused = checkRequest(guard, {
        method: req.method ?? "GET",
        headers: { host: req.headers.host, origin: req.headers.origin, authorization: req.headers.authorization },
      });
      if (refused) {
        // The body was not read: close the connection rather than parse what follows it.
        res.setHeader("connection", "close");
        return sendError(res, refused.status, refused.code, refused.message);
      }
      const path = new URL(req.url ?? "/", "http://serve.invalid").pathname;
      if (!(await route(ctx, req, res, path))) sendError(res, 404, "not_found", "no such route");
    } catch (e) {
      if (res.headersSent) return void res.destroy();
      if (e instanceof HttpError) return sendError(res, e.status, e.code, e.message);
      if (e instanceof McpsError && e.exitCode === 3) return sendError(res, 503, "engine_unreachable", e.message);
      const message = e instanceof Error ? e.message : String(e);
      log(`mcps serve: ${req.method} ${new URL(req.url ?? "/", "http://serve.invalid").pathname} failed: ${message.split("\n")[0]}`);
      sendError(res, 500, "internal", message.split("\n")[0] ?? "internal error");
    }
  });
}
