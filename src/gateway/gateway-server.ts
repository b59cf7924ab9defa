/**
 * The SDK server behind /mcp/<customer>: one low-level `Server` per HTTP request (what createMcpHandler
 * asks of its factory), answering list requests from the customer's aggregated listing and routing
 * calls, prompt gets and resource reads to the server that owns the name or URI. The SDK speaks both
 * revisions on the front; no protocol is written here.
 */
import { ProtocolError, ProtocolErrorCode, Server } from "@modelcontextprotocol/server";
import type { ServicePlan } from "../plan/types.js";
import { BackendUnavailable, type BackendPool } from "./backend-pool.js";
import { type CustomerTools, ServerUnavailable, unavailable, unknownTool } from "./customer-tools.js";

export type CallOutcome = "ok" | "tool_error" | "error" | "denied" | "unavailable";

/** One finished tools/call, for the audit log and the metrics: names only, never a value. */
export interface CallRecord {
  customer: string;
  type: string;
  tool: string;
  outcome: CallOutcome;
  durationMs: number;
  caller: string;
  argumentKeys: string[];
  requestId: string | number;
}

export interface GatewayServerDeps {
  tools: CustomerTools;
  pool: BackendPool;
  onCall: (r: CallRecord) => void;
}

const INFO = { name: "mcps-gateway", version: "1.0.0" };
type Params = Record<string, unknown> | undefined;

/** A backend's JSON-RPC error passes through; a broken connection is an error naming the server. */
async function send(d: GatewayServerDeps, s: ServicePlan, method: string, params: Params, signal: AbortSignal) {
  d.tools.checkUsable(s);
  try {
    return await d.pool.request(s, method, params, signal);
  } catch (e) {
    if (e instanceof BackendUnavailable) throw unavailable(s, e.message);
    throw e;
  }
}

function outcomeOf(e: unknown): CallOutcome {
  if (e instanceof ServerUnavailable) return "unavailable";
  return "error";
}

export function gatewayServerFactory(customerId: string, d: GatewayServerDeps) {
  return (ctx: { authInfo?: { clientId: string } }) => {
    const caller = ctx.authInfo?.clientId ?? "loopback";
    const server = new Server(INFO, {
      capabilities: { tools: { listChanged: true }, prompts: { listChanged: true }, resources: { listChanged: true } },
    });
    server.setRequestHandler("tools/list", async () => ({ tools: await d.tools.list(customerId, "tools") }) as never);
    server.setRequestHandler("tools/call", async (req, c) => {
      const t0 = performance.now();
      const { name, arguments: args } = req.params;
      const argumentKeys =
        args && typeof args === "object"
          ? Object.keys(args)
              .sort()
              .slice(0, 64)
              .map((k) => k.slice(0, 128))
          : [];
      const owner = d.tools.owner(customerId, name, "tools");
      const split = name.indexOf("_");
      // Names come from the client: cut, so one request cannot write a megabyte into the audit log.
      const record = (type: string, tool: string, outcome: CallOutcome) =>
        d.onCall({
          customer: customerId,
          type,
          tool: tool.slice(0, 128),
          outcome,
          durationMs: performance.now() - t0,
          caller,
          argumentKeys,
          requestId: c.mcpReq.id,
        });
      if (!owner) {
        const type = split > 0 ? name.slice(0, split) : "";
        const known = d.tools.services(customerId).some((s) => s.type === type);
        record(known ? type : "", known ? name.slice(split + 1) : "", known ? "denied" : "error");
        throw unknownTool(name);
      }
      try {
        const r = await send(d, owner.service, "tools/call", { name: owner.name, ...(args && { arguments: args }) }, c.mcpReq.signal);
        record(owner.service.type, owner.name, r.isError === true ? "tool_error" : "ok");
        return r as never;
      } catch (e) {
        record(owner.service.type, owner.name, outcomeOf(e));
        throw e;
      }
    });
    server.setRequestHandler("prompts/list", async () => ({ prompts: await d.tools.list(customerId, "prompts") }) as never);
    server.setRequestHandler("prompts/get", async (req, c) => {
      const owner = d.tools.owner(customerId, req.params.name, "prompts");
      if (!owner) throw new ProtocolError(ProtocolErrorCode.InvalidParams, `Prompt ${req.params.name} not found`);
      const { name: _n, _meta: _m, ...rest } = req.params as Record<string, unknown>;
      return (await send(d, owner.service, "prompts/get", { ...rest, name: owner.name }, c.mcpReq.signal)) as never;
    });
    server.setRequestHandler("resources/list", async () => ({ resources: await d.tools.list(customerId, "resources") }) as never);
    // Templates pass through unchanged; a read of a URI they make is routed by resourceOwner.
    server.setRequestHandler(
      "resources/templates/list",
      async () => ({ resourceTemplates: await d.tools.list(customerId, "resourceTemplates") }) as never,
    );
    server.setRequestHandler("resources/read", async (req, c) => {
      const s = await d.tools.resourceOwner(customerId, req.params.uri);
      if (!s) throw new ProtocolError(ProtocolErrorCode.InvalidParams, `Resource ${req.params.uri} not found`);
      return (await send(d, s, "resources/read", { uri: req.params.uri }, c.mcpReq.signal)) as never;
    });
    return server;
  };
}
