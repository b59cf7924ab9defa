/** Paths inside the config are relative to the config's folder, as compose's are to its own file. */
import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { loadPlan } from "../../src/load/load-plan.js";
import { fixtureCustomer, workspace } from "../support/workspace.js";

test("defaults.env_file is found beside the config, whichever folder mcps runs from", async () => {
  const dir = workspace({ defaults: { env_file: "creds/acme.env" }, customers: [fixtureCustomer("Acme")] });
  try {
    const { plan } = await loadPlan({ config: path.join(dir, "mcp_servers.json"), catalog: path.join(dir, "mcps") });
    assert.equal(plan.envFile, path.join(dir, "creds/acme.env"));
    const absolute = workspace({ defaults: { env_file: "/etc/mcps/creds.env" }, customers: [fixtureCustomer("Acme")] });
    try {
      const r = await loadPlan({ config: path.join(absolute, "mcp_servers.json"), catalog: path.join(absolute, "mcps") });
      assert.equal(r.plan.envFile, "/etc/mcps/creds.env", "an absolute path stays as written");
    } finally {
      rmSync(absolute, { recursive: true, force: true });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
