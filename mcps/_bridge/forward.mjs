// The HTTP side's servers: one low-level SDK Server per HTTP request (what createMcpHandler asks
// of its factory), each presenting the child's identity and capabilities and forwarding every
// request it does not answer itself (initialize, ping and server/discover it does) to the one child.
import { Server } from "@modelcontextprotocol/server";
import * as z from "zod";

/** The child's answers go back as they came: the HTTP side's codec checks them for its revision. */
const PASSTHROUGH = z.looseObject({});

/**
 * A backstop only: an HTTP client that gives up cancels its request (the abort reaches the child as
 * notifications/cancelled).
 */
export const REQUEST_TIMEOUT_MS = 600_000;

/** Keys of the per-request protocol envelope (2026-07-28): they describe the HTTP exchange, not the child's. */
const ENVELOPE_PREFIX = "io.modelcontextprotocol/";

export class ChildNotReady extends Error {
  constructor() {
    super("the stdio MCP server is not running (starting, or restarting after an exit)");
  }
}

/**
 * The params to send to the child (envelope keys removed) and the HTTP client's progress token,
 * taken out: the child gets a token of the bridge's own, unique among all clients' requests, and
 * the relay puts the original back on every progress notification.
 */
export function childParams(params) {
  if (!params) return { params: undefined, progressToken: undefined };
  const { _meta, ...rest } = params;
  if (!_meta || typeof _meta !== "object") return { params: rest, progressToken: undefined };
  const { progressToken, ...others } = _meta;
  const kept = Object.fromEntries(Object.entries(others).filter(([key]) => !key.startsWith(ENVELOPE_PREFIX)));
  return { params: Object.keys(kept).length ? { ...rest, _meta: kept } : rest, progressToken };
}

/** One request to the child; the SDK client gives it a fresh JSON-RPC id and maps the answer back. */
async function forward(link, request, ctx) {
  let { params, progressToken } = childParams(request.params);
  let relay;
  if (progressToken !== undefined) {
    relay = link.progress.open(({ progressToken: _theirs, ...progress }) => {
      ctx.mcpReq.notify({ method: "notifications/progress", params: { ...progress, progressToken } }).catch(() => {});
    });
    params = { ...params, _meta: { ...params?._meta, progressToken: relay.token } };
  }
  try {
    const options = { signal: ctx.mcpReq.signal, timeout: REQUEST_TIMEOUT_MS };
    return await link.client.request({ method: request.method, ...(params && { params }) }, PASSTHROUGH, options);
  } finally {
    relay?.release();
  }
}

/** The factory createMcpHandler calls per HTTP request; throws while the child is not up. */
export function forwardingFactory(child) {
  return () => {
    const link = child.current();
    if (!link) throw new ChildNotReady();
    const server = new Server(link.serverInfo, {
      capabilities: link.capabilities,
      ...(link.instructions !== undefined && { instructions: link.instructions }),
    });
    server.fallbackRequestHandler = (request, ctx) => forward(link, request, ctx);
    return server;
  };
}
