/** GET /api/clients/{format}: the same bytes as `mcps clients export`, from the plan serve holds. */
import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { test } from "node:test";
import { clientConfigForPlan } from "../../src/clients/export-plan.js";
import { engineWithImages, scriptedProbe } from "../support/reconcile-kit.js";
import { call, serveWorkspace } from "../support/serve.js";
import { fixtureCustomer } from "../support/workspace.js";

const CONFIG = { customers: [fixtureCustomer("Acme"), fixtureCustomer("Bolt")] };

test("clients route: each format as the CLI renders it, customers by id or name, errors in the API's shape", async () => {
  const s = await serveWorkspace(CONFIG, engineWithImages(), { probe: scriptedProbe(() => ({ ok: true, tools: ["t"] })), credentials: "" });
  try {
    const plan = s.handle.store.plan;
    for (const format of ["vscode", "cursor", "claude-desktop", "librechat"]) {
      const all = await call(s.base, `/api/clients/${format}`);
      assert.equal(all.status, 200, all.text);
      assert.equal(all.text, clientConfigForPlan(plan, format, []).text);
      assert.match(String(all.headers["content-type"]), format === "librechat" ? /yaml/ : /json/);
    }
    const one = await call(s.base, "/api/clients/vscode?customer=Bolt");
    assert.deepEqual(Object.keys(one.json().servers), ["bolt-alpha", "bolt-beta"]);
    const two = await call(s.base, "/api/clients/cursor?customer=bolt&customer=acme");
    assert.deepEqual(Object.keys(two.json().mcpServers), ["acme-alpha", "acme-beta", "bolt-alpha", "bolt-beta"]);
    const cases: Array<[string, number, string]> = [
      ["/api/clients/emacs", 404, "unknown_format"],
      ["/api/clients/vscode?customer=nobody", 404, "unknown_customer"],
    ];
    for (const [path, status, code] of cases) {
      const r = await call(s.base, path);
      assert.equal(r.status, status, r.text);
      assert.equal(r.json().error.code, code);
    }
    assert.equal((await call(s.base, "/api/clients/vscode", { method: "POST" })).status, 405);
  } finally {
    await s.handle.close();
    rmSync(s.dir, { recursive: true, force: true });
  }
});
