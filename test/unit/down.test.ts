/** down like compose, on the in-memory engine: grace period, failures reported, busy networks, one customer, projects apart. */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { downCommand, projectOfConfig } from "../../src/commands/down.js";
import type { ContainerSpec } from "../../src/engine/container-engine.js";
import { ConfigError, UsageError } from "../../src/errors.js";
import { downFailed, downProject } from "../../src/orchestrate/down.js";
import { stopContainers } from "../../src/orchestrate/stop.js";
import { LABEL } from "../../src/plan/types.js";
import { FakeEngine } from "../support/fake-engine.js";

/** A project's customer as start leaves it: a labelled network and one running container per type. */
async function seed(engine: FakeEngine, project: string, customer: string, types = ["alpha", "beta"]): Promise<string> {
  const netLabels = { [LABEL.project]: project, [LABEL.customer]: customer };
  const networkId = await engine.createNetwork(`${project}-${customer}`, netLabels);
  for (const type of types) {
    const service = `mcp-${type}-${customer}`;
    const labels = { ...netLabels, [LABEL.customerName]: `Name of ${customer}`, [LABEL.type]: type, [LABEL.service]: service };
    const spec = {
      name: `${project}-${service}`,
      image: `mcps/${type}:1`,
      env: {},
      labels,
      networkId,
      stopGraceMs: 7000,
    } as unknown as ContainerSpec;
    await engine.start(await engine.create(spec));
  }
  return networkId;
}

test("without --timeout, down and stop give each container its own grace (the stop grace it was created with), and progress names services", async () => {
  const engine = new FakeEngine();
  await seed(engine, "p1", "acme", ["alpha"]);
  await seed(engine, "p1", "bolt", ["alpha"]);
  const said: string[] = [];
  await stopContainers(engine, "p1", { customers: ["acme"], types: [] }, { concurrency: 1, onProgress: (l) => said.push(l) });
  await downProject(engine, "p1", { customers: ["bolt"], concurrency: 1, onProgress: (l) => said.push(l) });
  assert.deepEqual(engine.stopTimeoutsMs, [7000, 7000]);
  assert.deepEqual(
    said.slice(0, 3),
    ["Stopping mcp-alpha-acme…", "Stopped mcp-alpha-acme", "Stopping mcp-alpha-bolt…"],
    "service names, as start says them",
  );
});

const names = (engine: FakeEngine) => [...engine.containers.values()].map((c) => c.name).sort();
const networkNames = (engine: FakeEngine) => [...engine.networks.values()].map((n) => n.name).sort();

test("down stops each running container with the grace period, then removes it, then the networks", async () => {
  const engine = new FakeEngine();
  await seed(engine, "p1", "acme");
  await seed(engine, "p1", "bolt", ["alpha"]);
  await engine.stop([...engine.containers.values()].find((c) => c.name === "p1-mcp-alpha-bolt")!.id, 1);
  engine.stopTimeoutsMs = [];
  engine.calls = [];
  engine.addForeign("my-postgres");

  const r = await downProject(engine, "p1", { timeoutMs: 3000, concurrency: 2 });
  assert.deepEqual(
    r.containers.map((c) => [c.name, c.action]),
    [
      ["p1-mcp-alpha-acme", "removed"],
      ["p1-mcp-alpha-bolt", "removed"],
      ["p1-mcp-beta-acme", "removed"],
    ],
  );
  assert.deepEqual(
    r.networks.map((n) => [n.name, n.action]),
    [
      ["p1-acme", "removed"],
      ["p1-bolt", "removed"],
    ],
  );
  assert.deepEqual(engine.stopTimeoutsMs, [3000, 3000], "only the running ones are stopped, each with the grace period");
  for (const n of ["p1-mcp-alpha-acme", "p1-mcp-beta-acme"])
    assert.ok(engine.calls.indexOf(`stop ${n}`) < engine.calls.indexOf(`remove ${n}`), `${n}: stop, then remove`);
  assert.ok(!engine.calls.includes("stop p1-mcp-alpha-bolt"), "an exited container is removed without a stop");
  assert.deepEqual(names(engine), ["my-postgres"]);
  assert.deepEqual(r.warnings, []);
  assert.equal(downFailed(r), false);
});

test("down continues past failures and reports each; a network still in use is kept", async () => {
  const engine = new FakeEngine();
  await seed(engine, "p1", "acme");
  await seed(engine, "p1", "bolt");
  engine.failStop.add("p1-mcp-alpha-acme");
  engine.failRemove.add("p1-mcp-beta-bolt");

  const r = await downProject(engine, "p1", { concurrency: 1 });
  const byName = Object.fromEntries(r.containers.map((c) => [c.name, c]));
  assert.equal(byName["p1-mcp-alpha-acme"]?.action, "failed");
  assert.match(byName["p1-mcp-alpha-acme"]?.reason ?? "", /did not receive an exit event/);
  assert.equal(byName["p1-mcp-beta-bolt"]?.action, "failed");
  assert.match(byName["p1-mcp-beta-bolt"]?.reason ?? "", /already in progress/);
  assert.equal(byName["p1-mcp-beta-acme"]?.action, "removed", "the others go on");
  assert.equal(byName["p1-mcp-alpha-bolt"]?.action, "removed");
  assert.deepEqual(names(engine), ["p1-mcp-alpha-acme", "p1-mcp-beta-bolt"]);
  assert.deepEqual(
    r.networks.map((n) => n.action),
    ["kept", "kept"],
  );
  assert.equal(downFailed(r), true);
});

test("a foreign container on the project's network: the network is kept with a warning, not a failure", async () => {
  const engine = new FakeEngine();
  const net = await seed(engine, "p1", "acme");
  engine.addForeign("debug-shell", {}, net);

  const r = await downProject(engine, "p1", { concurrency: 2 });
  assert.ok(r.containers.every((c) => c.action === "removed"));
  assert.deepEqual(r.networks, [{ name: "p1-acme", action: "kept", reason: "containers are still attached to it" }]);
  assert.deepEqual(r.warnings, ["network p1-acme kept: containers are still attached to it"]);
  assert.equal(downFailed(r), false);
  assert.deepEqual(names(engine), ["debug-shell"]);
  assert.deepEqual(networkNames(engine), ["p1-acme"]);
});

test("down CUSTOMER removes only that customer's containers and network (by id or by name)", async () => {
  const engine = new FakeEngine();
  await seed(engine, "p1", "acme");
  await seed(engine, "p1", "bolt");
  await seed(engine, "p1", "cato");

  const r = await downProject(engine, "p1", { customers: ["acme", "Name of bolt", "nobody"], concurrency: 2 });
  assert.deepEqual(
    r.containers.map((c) => c.name),
    ["p1-mcp-alpha-acme", "p1-mcp-alpha-bolt", "p1-mcp-beta-acme", "p1-mcp-beta-bolt"],
  );
  assert.deepEqual(
    r.networks.map((n) => n.name),
    ["p1-acme", "p1-bolt"],
  );
  assert.deepEqual(names(engine), ["p1-mcp-alpha-cato", "p1-mcp-beta-cato"]);
  assert.deepEqual(networkNames(engine), ["p1-cato"]);
  assert.deepEqual(r.warnings, ['no containers of customer "nobody" in project p1']);
});

test("down of one project never touches another's containers or networks, even with the same customers", async () => {
  const engine = new FakeEngine();
  await seed(engine, "p1", "acme");
  await seed(engine, "p2", "acme");
  const r = await downProject(engine, "p2", { concurrency: 2 });
  assert.equal(r.containers.length, 2);
  assert.deepEqual(names(engine), ["p1-mcp-alpha-acme", "p1-mcp-beta-acme"]);
  assert.deepEqual(networkNames(engine), ["p1-acme"]);
});

test("downCommand: --project needs no config; otherwise only the config's project field is read", async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "mcps-down-"));
  const file = (name: string, text: string) => {
    writeFileSync(path.join(dir, name), text);
    return path.join(dir, name);
  };
  const deps = (engine: FakeEngine) => ({ engine, onProgress: () => undefined });
  const base = { customers: [], timeoutMs: 1000, concurrency: 2 };
  try {
    const engine = new FakeEngine();
    await seed(engine, "p1", "acme");
    await seed(engine, "mcps", "acme");
    const missing = path.join(dir, "absent.json");

    const r = await downCommand({ ...base, config: missing, project: "p1" }, deps(engine));
    assert.equal(r.containers.length, 2);
    assert.deepEqual(names(engine), ["mcps-mcp-alpha-acme", "mcps-mcp-beta-acme"]);

    await assert.rejects(downCommand({ ...base, config: missing }, deps(engine)), (e) => e instanceof UsageError && /--project NAME/.test(e.message));
    await assert.rejects(downCommand({ ...base, config: missing, project: "Bad Name" }, deps(engine)), UsageError);

    // Customers that no longer validate do not stop a down; the project field is all that is read.
    assert.equal(await projectOfConfig(file("broken.json", JSON.stringify({ project: "p9", customers: [{ bogus: true }] }))), "p9");
    assert.equal(await projectOfConfig(file("plain.json", JSON.stringify({ customers: [] }))), "mcps");
    assert.equal(await projectOfConfig(file("legacy.json", JSON.stringify({ servers: [] }))), "mcps");
    await assert.rejects(projectOfConfig(file("badproj.json", JSON.stringify({ project: "No Way", customers: [] }))), (e) => {
      assert.ok(e instanceof ConfigError);
      assert.equal(e.problems[0]?.path, "project");
      return true;
    });
    await assert.rejects(projectOfConfig(file("notjson.json", "{")), ConfigError);
    assert.deepEqual(names(engine), ["mcps-mcp-alpha-acme", "mcps-mcp-beta-acme"], "failed commands removed nothing");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
