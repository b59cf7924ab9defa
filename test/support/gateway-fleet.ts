/**
 * A small served fleet for the gateway's front tests (sessions, resource templates): real in-process
 * SDK backends on ephemeral ports, the fake engine, serve in this process.
 */
import { rmSync } from "node:fs";
import type { SessionLimits } from "../../src/gateway/legacy-sessions.js";
import { GATEWAY_CATALOG, gatewayEngine, toolBackend } from "./gateway-kit.js";
import { serveWorkspace } from "./serve.js";

export interface Backend {
  port: number;
  close(): Promise<void>;
}

export const TOKENS = { ACME_GATEWAY_TOKEN: "acme-token-s1", ADMIN_TOKEN: "admin-token-s1" };

/**
 * Acme (north: strict SDK v2, south: dual, or the backends given) and Bolt (north) behind an in-process
 * serve over the fake engine. tokens: Acme needs ACME_GATEWAY_TOKEN, serve's token is ADMIN_TOKEN.
 */
export async function fleet(o: { sessions?: Partial<SessionLimits>; tokens?: boolean; north?: Backend; south?: Backend; auditLog?: string } = {}) {
  const { sessions, tokens = false } = o;
  const north = o.north ?? (await toolBackend("north", ["search", "get"], true));
  const south = o.south ?? (await toolBackend("south", ["search"]));
  const bolt = await toolBackend("bolt-north", ["search"], true);
  const config = {
    customers: [
      {
        name: "Acme",
        ...(tokens && { gateway: { token_env: "ACME_GATEWAY_TOKEN" } }),
        mcp_servers: [
          { type: "north", port: north.port },
          { type: "south", port: south.port },
        ],
      },
      { name: "Bolt", mcp_servers: [{ type: "north", port: bolt.port }] },
    ],
  };
  const engine = gatewayEngine();
  const s = await serveWorkspace(config, engine, {
    catalog: GATEWAY_CATALOG,
    credentials: "",
    ...(tokens && { env: { ...process.env, ...TOKENS }, tokenEnv: "ADMIN_TOKEN" }),
    ...(sessions && { gatewaySessions: sessions }),
    ...(o.auditLog && { auditLog: o.auditLog }),
  });
  return {
    s,
    engine,
    config,
    south,
    url: (c: string) => `${s.base}/mcp/${c}`,
    sessions: (customerId?: string) => s.handle.gateway.sessions.size(customerId),
    listening: (customerId: string) => s.handle.gateway.sessions.listeners(customerId),
    async [Symbol.asyncDispose]() {
      await s.handle.close();
      await Promise.all([north.close(), south.close(), bolt.close()]);
      rmSync(s.dir, { recursive: true, force: true });
    },
  };
}
