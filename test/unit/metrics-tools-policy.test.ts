/**
 * mcps_mcp_tools counts what the gateway exposes: the latest probe's tools minus those the server's
 * tool policy hides, and its HELP line says so (ops read it in Prometheus and in the dashboard).
 */
import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { test } from "node:test";
import { engineWithImages, scriptedProbe } from "../support/reconcile-kit.js";
import { call, serveWorkspace } from "../support/serve.js";
import { fixtureCustomer } from "../support/workspace.js";

test("mcps_mcp_tools counts the tools the policy exposes, not every tool the server lists", async () => {
  const customer = fixtureCustomer("Acme");
  (customer.mcp_servers[0] as Record<string, unknown>).tools = { deny: ["delete_*"] };
  const probe = scriptedProbe(() => ({ ok: true, tools: ["list", "get", "delete_one", "delete_all"] }));
  const s = await serveWorkspace({ customers: [customer] }, engineWithImages(), { probe, credentials: "ALPHA_TOKEN_ACME=test-only\n" });
  try {
    const sw = await call(s.base, "/api/customers/switch", { method: "POST", body: { customer: "acme" } });
    assert.equal(sw.status, 200, sw.text);
    const text = (await call(s.base, "/metrics")).text;
    const value = (type: string) => new RegExp(`^mcps_mcp_tools\\{[^}]*type="${type}"[^}]*\\} (\\S+)$`, "m").exec(text)?.[1];
    assert.equal(value("alpha"), "2", "two of alpha's four tools are denied");
    assert.equal(value("beta"), "4", "beta has no policy");
    const help = /^# HELP mcps_mcp_tools (.*)$/m.exec(text)?.[1] ?? "";
    assert.match(help, /policy exposes/);
  } finally {
    await s.handle.close();
    rmSync(s.dir, { recursive: true, force: true });
  }
});
