/** Shared by the clients-* unit tests: the fixture catalog's plan (alpha: Streamable HTTP with a secret; beta: SSE). */
import { rmSync } from "node:fs";
import path from "node:path";
import { renderClientConfig } from "../../src/clients/render-client-config.js";
import { loadPlan } from "../../src/load/load-plan.js";
import type { Plan, ServicePlan } from "../../src/plan/types.js";
import { fixtureCustomer, workspace } from "./workspace.js";

/** The plan of Acme and Globex (alpha + beta each), optionally bound to another address. */
export async function fixturePlan(defaults: Record<string, unknown> = {}): Promise<Plan> {
  const dir = workspace({ defaults, customers: [fixtureCustomer("Globex"), fixtureCustomer("Acme")] });
  try {
    return (await loadPlan({ config: path.join(dir, "mcp_servers.json"), catalog: path.join(dir, "mcps") })).plan;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
export const fixtureServices = async (defaults: Record<string, unknown> = {}) => (await fixturePlan(defaults)).services;

export const json = (services: readonly ServicePlan[], format: "vscode" | "cursor" | "claude-desktop") =>
  JSON.parse(renderClientConfig(format, services).text);
export const urlOf = (services: ServicePlan[], customerId: string, type: string) =>
  services.find((s) => s.customerId === customerId && s.type === type)!.url;
export const NAMES = ["acme-alpha", "acme-beta", "globex-alpha", "globex-beta"];
