/**
 * mcps_mcp_tools counts what the gateway exposes: the latest probe's tools minus those the server's
 * tool policy hides, and its HELP line says so (ops read it in Prometheus and in the dashboard).
 */
import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { test } from "node:test";
import { engineWithImages, scriptedProbe } from "../support/reconcile-kit.js";
import { call, serveWorkspace, until } from "../support/serve.js";
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

test("mcps_container_exit_code: a killed container's 137 while it is exited, no series for one that runs", async () => {
  const probe = scriptedProbe(() => ({ ok: true, tools: ["list"] }));
  const engine = engineWithImages();
  const s = await serveWorkspace({ customers: [fixtureCustomer("Acme")] }, engine, { probe, credentials: "ALPHA_TOKEN_ACME=test-only\n" });
  try {
    assert.equal((await call(s.base, "/api/customers/switch", { method: "POST", body: { customer: "acme" } })).status, 200);
    const c = [...engine.containers.values()].find((x) => x.name.includes("alpha"))!;
    Object.assign(c, { state: "exited", health: "none", status: "Exited (137) 1 second ago", details: { exitCode: 137 } });
    engine.emit({ id: c.id, action: "die", labels: c.labels });
    const series = async () =>
      [...(await call(s.base, "/metrics")).text.matchAll(/^mcps_container_exit_code\{([^}]*)\} (\S+)$/gm)].map((m) => `${m[1]} ${m[2]}`);
    await until(async () => (await series()).length > 0, 5000, "the exit code series");
    const [only, ...others] = await series();
    assert.deepEqual(others, [], "the running container has no series");
    assert.match(only!, /type="alpha"/);
    assert.match(only!, / 137$/);
  } finally {
    await s.handle.close();
    rmSync(s.dir, { recursive: true, force: true });
  }
});
