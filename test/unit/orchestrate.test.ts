/** The reconcile logic against an in-memory engine: idempotence, recreation, safety. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { byCustomer } from "../../src/orchestrate/outcome.js";
import { startServices } from "../../src/orchestrate/start.js";
import { downProject } from "../../src/orchestrate/down.js";
import { stopContainers } from "../../src/orchestrate/stop.js";
import { FakeEngine } from "../support/fake-engine.js";
import { planOf } from "../support/reconcile-kit.js";
import { fixtureCustomer } from "../support/workspace.js";

const secrets = (name: string) => (name.startsWith("ALPHA_TOKEN_") ? "sekret-value" : undefined);
const opts = { concurrency: 3, rebuild: false, buildArgs: { BASE_IMAGE: "local-base" } };

test("start creates networks, builds missing images once, creates and starts every service", async () => {
  const engine = new FakeEngine();
  engine.images.set("example.invalid/beta:1.0", "sha256:beta");
  const plan = await planOf({ customers: [fixtureCustomer("Acme"), fixtureCustomer("Bolt")] });
  const out = await startServices(engine, plan, plan.services, secrets, opts);
  assert.deepEqual(
    out.map((o) => [o.service, o.action]),
    [
      ["mcp-alpha-acme", "created"],
      ["mcp-alpha-bolt", "created"],
      ["mcp-beta-acme", "created"],
      ["mcp-beta-bolt", "created"],
    ],
  );
  assert.equal(engine.calls.filter((c) => c.startsWith("build")).length, 1, "one build for two services of a type");
  assert.ok(engine.calls.includes(`build ${plan.services[0]!.image} BASE_IMAGE=local-base`));
  assert.deepEqual([...engine.networks.values()].map((n) => n.name).sort(), ["mcps-acme", "mcps-bolt"]);
  const alpha = [...engine.containers.values()].find((c) => c.name === "mcp-alpha-acme")!;
  assert.equal(alpha.spec!.env.ALPHA_TOKEN, "sekret-value", "secret resolved for the engine");
  assert.ok(!JSON.stringify(alpha.labels).includes("sekret-value"), "never in labels");
  assert.equal(alpha.spec!.bindAddress, "127.0.0.1");
  assert.equal(alpha.spec!.pids, 128);
  assert.equal(alpha.spec!.healthcheck.timeoutMs, 10_000);
  assert.deepEqual(byCustomer(out), [
    { customer: "acme", connected_mcps: ["alpha", "beta"], failed_mcps: [] },
    { customer: "bolt", connected_mcps: ["alpha", "beta"], failed_mcps: [] },
  ]);
});

test("start twice changes nothing the second time; a stopped one is started; a changed one recreated", async () => {
  const engine = new FakeEngine();
  engine.images.set("example.invalid/beta:1.0", "sha256:beta");
  const plan = await planOf({ customers: [fixtureCustomer("Acme"), fixtureCustomer("Bolt")] });
  await startServices(engine, plan, plan.services, secrets, opts);
  engine.calls = [];
  const again = await startServices(engine, plan, plan.services, secrets, opts);
  assert.ok(again.every((o) => o.action === "unchanged"));
  assert.deepEqual(engine.calls, [], "no engine writes");

  const stopped = [...engine.containers.values()].find((c) => c.name === "mcp-beta-bolt")!;
  await engine.stop(stopped.id);
  const changedCustomer = fixtureCustomer("Acme");
  changedCustomer.mcp_servers[1]!.config = { region: "us-2" };
  const changed = await planOf({ customers: [changedCustomer, fixtureCustomer("Bolt")] });
  engine.calls = [];
  const third = await startServices(engine, changed, changed.services, secrets, opts);
  assert.deepEqual(Object.fromEntries(third.map((o) => [o.service, o.action])), {
    "mcp-alpha-acme": "unchanged",
    "mcp-alpha-bolt": "unchanged",
    "mcp-beta-acme": "recreated",
    "mcp-beta-bolt": "started",
  });
  // Services run in parallel: the order across services is free, within one it is not.
  // Create-first: the replacement exists before the old one is stopped (reconcile-recreate tests the rest).
  const acme = engine.calls.filter((c) => c.includes("mcp-beta-acme"));
  assert.deepEqual(acme, [
    "create mcp-beta-acme-mcps-next",
    "stop mcp-beta-acme",
    "start mcp-beta-acme-mcps-next",
    "remove mcp-beta-acme",
    "rename mcp-beta-acme-mcps-next mcp-beta-acme",
  ]);
  assert.deepEqual(
    engine.calls.filter((c) => !c.includes("mcp-beta-acme")),
    ["start mcp-beta-bolt"],
  );
});

test("a missing credential fails that service only, naming customer, type and variable", async () => {
  const engine = new FakeEngine();
  engine.images.set("example.invalid/beta:1.0", "sha256:beta");
  const plan = await planOf({ customers: [fixtureCustomer("Acme")] });
  const out = await startServices(engine, plan, plan.services, () => undefined, opts);
  assert.deepEqual(byCustomer(out), [
    {
      customer: "acme",
      connected_mcps: ["beta"],
      failed_mcps: [{ type: "alpha", reason: "missing variable ALPHA_TOKEN_ACME (set in the environment or the credentials file)" }],
    },
  ]);
  assert.ok(![...engine.containers.values()].some((c) => c.name === "mcp-alpha-acme"));
});

test("one failure does not stop the others", async () => {
  const engine = new FakeEngine();
  engine.images.set("example.invalid/beta:1.0", "sha256:beta");
  engine.failCreate.add("mcp-alpha-acme");
  const plan = await planOf({ customers: [fixtureCustomer("Acme"), fixtureCustomer("Bolt")] });
  const out = await startServices(engine, plan, plan.services, secrets, opts);
  assert.deepEqual(
    out.filter((o) => o.action === "failed").map((o) => [o.service, o.reason]),
    [["mcp-alpha-acme", "create mcp-alpha-acme: port is already allocated"]],
  );
  assert.equal(out.filter((o) => o.action === "created").length, 3);
});

test("a container of the same name that mcps did not create is left alone", async () => {
  const engine = new FakeEngine();
  engine.images.set("example.invalid/beta:1.0", "sha256:beta");
  engine.addForeign("mcp-beta-acme", { owner: "someone-else" });
  const plan = await planOf({ customers: [fixtureCustomer("Acme")] });
  const out = await startServices(engine, plan, plan.services, secrets, opts);
  const beta = out.find((o) => o.service === "mcp-beta-acme")!;
  assert.equal(beta.action, "failed");
  assert.match(beta.reason!, /exists that mcps did not create/);
  assert.ok(!engine.calls.some((c) => c.includes("mcp-beta-acme")), "neither stopped nor removed");
});

test("stop and down touch only containers and networks with the project's labels", async () => {
  const engine = new FakeEngine();
  engine.images.set("example.invalid/beta:1.0", "sha256:beta");
  engine.addForeign("my-postgres");
  engine.addForeign("other-project-thing", { "mcps.project": "other" });
  const plan = await planOf({ customers: [fixtureCustomer("Acme"), fixtureCustomer("Bolt")] });
  await startServices(engine, plan, plan.services, secrets, opts);
  const stopped = await stopContainers(engine, "mcps", { customers: ["Acme"], types: [] }, { timeoutMs: 1000, concurrency: 2 });
  assert.deepEqual(stopped.map((s) => [s.service, s.action]).sort(), [
    ["mcp-alpha-acme", "stopped"],
    ["mcp-beta-acme", "stopped"],
  ]);
  const down = await downProject(engine, "mcps", { concurrency: 2 });
  assert.equal(down.containers.length, 4);
  assert.deepEqual([...engine.containers.values()].map((c) => c.name).sort(), ["my-postgres", "other-project-thing"]);
  assert.equal(engine.networks.size, 0);
});
