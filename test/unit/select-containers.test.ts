/** stop, down and logs pick containers by the same ids-first rule as the plan's selection. */
import assert from "node:assert/strict";
import { test } from "node:test";
import type { ContainerState } from "../../src/engine/container-engine.js";
import { UsageError } from "../../src/errors.js";
import { selectContainers } from "../../src/orchestrate/select-containers.js";

const container = (id: string, name: string, type = "grafana"): ContainerState => ({
  id: `${id}-${type}`,
  name: `mcp-${type}-${id}`,
  labels: { "mcps.customer": id, "mcps.customer-name": name, "mcps.type": type },
  state: "running",
  health: "healthy",
  status: "Up",
  imageId: "sha256:0",
});

const fleet = [container("acme", "Acme"), container("acme", "Acme", "alertmanager"), container("beta", "Beta Corp"), container("zeta", "acme2")];
const names = (cs: ContainerState[]) => cs.map((c) => c.name).sort();

test("select containers: by id, by name, by type, and nothing for a customer with no containers", () => {
  assert.deepEqual(names(selectContainers(fleet, { customers: ["acme"], types: [] })), ["mcp-alertmanager-acme", "mcp-grafana-acme"]);
  assert.deepEqual(names(selectContainers(fleet, { customers: ["Beta Corp"], types: [] })), ["mcp-grafana-beta"]);
  assert.deepEqual(names(selectContainers(fleet, { customers: ["acme"], types: ["alertmanager"] })), ["mcp-alertmanager-acme"]);
  assert.deepEqual(selectContainers(fleet, { customers: ["gone"], types: [] }), []);
  assert.equal(selectContainers(fleet, { customers: [], types: [] }).length, 4);
});

test("select containers: an argument that is one customer's id and another's name is refused, naming both", () => {
  const twisted = [container("acme", "Acme"), container("beta", "acme")];
  assert.throws(
    () => selectContainers(twisted, { customers: ["acme"], types: [] }),
    (e: unknown) => e instanceof UsageError && /ambiguous/.test(e.message),
  );
});
