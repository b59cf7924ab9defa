/** The held view: one event per change, none when a probe says what the last one said. */
import assert from "node:assert/strict";
import { test } from "node:test";
import type { ContainerDetails } from "../../src/engine/container-engine.js";
import { FleetStore } from "../../src/serve/fleet-store.js";
import type { FleetEventName } from "../../src/serve/fleet-types.js";
import { planOf } from "../support/reconcile-kit.js";
import { fixtureCustomer } from "../support/workspace.js";

const container = (name: string, more: Partial<ContainerDetails> = {}): ContainerDetails =>
  ({
    id: `id-${name}`,
    name,
    labels: {},
    state: "running",
    health: "starting",
    status: "Up",
    imageId: "sha256:x",
    createdAt: "2026-01-01T00:00:00Z",
    startedAt: "2026-01-01T00:00:01Z",
    exitCode: 0,
    restartCount: 0,
    oomKilled: false,
    healthFailingStreak: 0,
    emptyEnv: [],
    settings: {} as ContainerDetails["settings"],
    ...more,
  }) as ContainerDetails;

test("the store emits state, health and probe events once per change", async () => {
  const store = new FleetStore(await planOf({ customers: [fixtureCustomer("Acme")] }));
  const seen: Array<[FleetEventName, string]> = [];
  store.on((name, data) => seen.push([name, "service" in data ? `${data.service} ${data.state} ${data.health} ${data.ok}` : String(data.ok)]));
  store.putContainer(container("mcp-alpha-acme"));
  store.putContainer(container("mcp-alpha-acme"));
  store.putProbe("mcp-alpha-acme", { ok: true, latencyMs: 3, tools: ["a"] });
  store.putProbe("mcp-alpha-acme", { ok: true, latencyMs: 4, tools: ["a"] });
  store.putContainer(container("mcp-alpha-acme", { health: "healthy" }));
  store.putContainer(container("mcp-alpha-acme", { state: "exited", health: "none", exitCode: 137 }));
  store.configFailed("mcp_servers.json: bad");
  assert.deepEqual(seen, [
    ["state", "mcp-alpha-acme running starting false"],
    ["probe", "mcp-alpha-acme running starting true"],
    ["health", "mcp-alpha-acme running healthy true"],
    ["state", "mcp-alpha-acme exited none false"],
    ["config", "false"],
  ]);
  const alpha = store.servers().find((v) => v.service === "mcp-alpha-acme")!;
  assert.equal(alpha.error, "container exited (exit code 137)");
  assert.deepEqual(alpha.tools, [], "a stopped server lists no tools");
  assert.equal(store.fleet().config.ok, false);
  assert.deepEqual(store.customers(), [{ id: "acme", name: "Acme", mcp_types: ["alpha", "beta"], state: "stopped" }]);
  store.putContainer(container("mcp-alpha-acme", { startedAt: "2026-01-01T00:05:00Z" }));
  assert.equal(store.customers()[0]!.state, "partial");
  assert.equal(store.servers().find((v) => v.service === "mcp-beta-acme")!.error, "no container");
});
