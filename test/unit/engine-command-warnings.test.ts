/** The plan's warnings (an exposed bind address) are said by start and status too, not only by generate. */
import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { startCommand } from "../../src/commands/start.js";
import { statusCommand } from "../../src/commands/status.js";
import { FakeEngine } from "../support/fake-engine.js";
import { fixtureCustomer, workspace } from "../support/workspace.js";

test("start and status return the plan's warnings about an exposed bind address", async () => {
  const dir = workspace({ defaults: { bind_address: "0.0.0.0", expose: true }, customers: [fixtureCustomer("Acme")] });
  try {
    const engine = new FakeEngine();
    engine.images.set("example.invalid/beta:1.0", "sha256:beta");
    const src = { config: path.join(dir, "mcp_servers.json"), catalog: path.join(dir, "mcps"), compose: path.join(dir, "none.yml") };
    const env = { ALPHA_TOKEN_ACME: "x" };
    Object.assign(process.env, env);
    const started = await startCommand(
      { ...src, customers: [], types: [], all: true, concurrency: 4, build: false, buildArgs: {}, heal: false },
      { engine, onProgress: () => undefined },
    );
    assert.equal(started.warnings.length, 1);
    assert.match(started.warnings[0]!, /bind_address.*0\.0\.0\.0|every (network )?interface/);
    const { warnings } = await statusCommand({ ...src, customers: [], types: [], probe: false, concurrency: 4, timeoutMs: 1000 }, { engine });
    assert.deepEqual(warnings, started.warnings);
  } finally {
    delete process.env.ALPHA_TOKEN_ACME;
    rmSync(dir, { recursive: true, force: true });
  }
});
