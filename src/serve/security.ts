/**
 * Who may talk to `mcps serve`, decided before any route runs:
 * - DNS rebinding: a page on evil.example that resolves its name to 127.0.0.1 sends `Host: evil.example`;
 *   only the listen address itself or localhost:<port> is accepted (421 otherwise).
 * - A browser sends Origin on cross-origin requests: a POST with an Origin must be same-origin (403),
 *   so a refused cross-origin POST changes nothing. Programs send no Origin.
 * - With a token, every API request (event stream and metrics too) carries `Authorization: Bearer <token>`,
 *   compared in constant time (401). The dashboard's static files are the exception: a browser cannot
 *   add a header to a page load, so the page must load first to ask for the token. They hold nothing
 *   but code that is public anyway; every fact about the fleet comes from /api/*.
 */
import { createHash, timingSafeEqual } from "node:crypto";

export interface Refusal {
  status: number;
  code: string;
  message: string;
}

export interface Guard {
  /** host:port forms accepted in Host (and Origin). */
  allowedHosts: Set<string>;
  token?: string;
}

const hostPort = (host: string, port: number) => (host.includes(":") ? `[${host}]:${port}` : `${host}:${port}`);

export function guardFor(listen: { host: string; port: number }, token?: string): Guard {
  const hosts = new Set([hostPort(listen.host, listen.port), `localhost:${listen.port}`]);
  // Listening on every address: the loopback addresses are what a local client types.
  if (listen.host === "0.0.0.0") hosts.add(`127.0.0.1:${listen.port}`);
  if (listen.host === "::") hosts.add(`[::1]:${listen.port}`);
  // Browsers leave the default port out of Host.
  if (listen.port === 80) for (const h of [...hosts]) hosts.add(h.slice(0, h.lastIndexOf(":")));
  return { allowedHosts: hosts, ...(token !== undefined && { token }) };
}

/**
 * Requests a client of ours never sends, refused before the guard reads Host:
 * - a target that is not a plain path: an absolute-form target (`GET http://evil.example/...`) names
 *   its own authority, which by HTTP's rules wins over Host, so checking Host alone would let it by;
 *   and `//x/api/status` would parse as a URL whose host is x;
 * - more than one Host header: node keeps the first, a proxy in front may use the last (RFC 9112
 *   says 400).
 */
export function checkFraming(req: { url?: string; rawHeaders: string[] }): Refusal | undefined {
  const target = req.url ?? "";
  if (!target.startsWith("/") || target.startsWith("//")) {
    return { status: 400, code: "bad_request", message: "the request target must be a path starting with a single /" };
  }
  let hosts = 0;
  for (let i = 0; i < req.rawHeaders.length; i += 2) if (req.rawHeaders[i]?.toLowerCase() === "host") hosts++;
  if (hosts > 1) return { status: 400, code: "bad_request", message: "more than one Host header" };
  return undefined;
}

/** Hashing first makes the comparison constant-time whatever the lengths. */
export function tokenMatches(given: string, expected: string): boolean {
  const a = createHash("sha256").update(given).digest();
  const b = createHash("sha256").update(expected).digest();
  return timingSafeEqual(a, b);
}

/** The dashboard page and its files (what static-assets.ts serves), read without a token. */
function isStaticFile(method: string, path: string): boolean {
  if (method !== "GET" && method !== "HEAD") return false;
  return path === "/" || /^\/assets\/[^/]+$/.test(path);
}

export function checkRequest(
  guard: Guard,
  req: { method: string; path?: string; headers: { host?: string; origin?: string; authorization?: string } },
): Refusal | undefined {
  const host = (req.headers.host ?? "").toLowerCase();
  if (!guard.allowedHosts.has(host)) {
    return { status: 421, code: "misdirected_request", message: "the Host header is not the address mcps serve listens on" };
  }
  if (guard.token !== undefined && !isStaticFile(req.method, req.path ?? "")) {
    const auth = req.headers.authorization ?? "";
    const given = auth.startsWith("Bearer ") ? auth.slice(7) : "";
    if (!given || !tokenMatches(given, guard.token)) {
      return { status: 401, code: "unauthorized", message: "this server needs Authorization: Bearer <token>" };
    }
  }
  const origin = req.headers.origin;
  if (req.method !== "GET" && req.method !== "HEAD" && origin !== undefined) {
    let originHost = "";
    try {
      const u = new URL(origin);
      originHost = u.protocol === "http:" ? u.host.toLowerCase() : "";
    } catch {
      // "null" or garbage: not same-origin
    }
    if (originHost !== host) return { status: 403, code: "cross_origin", message: "a cross-origin request may not change anything" };
  }
  return undefined;
}
