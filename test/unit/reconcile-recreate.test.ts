/** Create-first recreate: the swap order, failures that leave the old container serving, leftovers of an interrupted run. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { CREATED_BY, replacementName } from "../../src/orchestrate/recreate.js";
import { startServices } from "../../src/orchestrate/start.js";
import { FakeClock, engineWithImages, options, secrets, twoCustomers } from "../support/reconcile-kit.js";

async function runningWithStaleBetaAcme() {
  const engine = engineWithImages();
  const plan = await twoCustomers();
  const clock = new FakeClock();
  await startServices(engine, plan, plan.services, secrets, options(clock));
  const old = engine.byName("mcp-beta-acme")!;
  old.labels = { ...old.labels, "mcps.config-hash": "old" };
  engine.calls = [];
  return { engine, plan, clock, old, start: () => startServices(engine, plan, plan.services, secrets, options(clock)) };
}

const names = (engine: { containers: Map<string, { name: string }> }) => [...engine.containers.values()].map((c) => c.name).sort();

test("the replacement is created first under a temporary name, then the old one is stopped, removed and the new one renamed", async () => {
  const { engine, plan, old, start } = await runningWithStaleBetaAcme();
  const out = await start();
  assert.equal(out.find((o) => o.service === "mcp-beta-acme")!.action, "recreated");
  assert.deepEqual(engine.calls, [
    "create mcp-beta-acme-mcps-next",
    "stop mcp-beta-acme",
    "start mcp-beta-acme-mcps-next",
    "remove mcp-beta-acme",
    "rename mcp-beta-acme-mcps-next mcp-beta-acme",
  ]);
  const now = engine.byName("mcp-beta-acme")!;
  assert.notEqual(now.id, old.id);
  assert.equal(now.state, "running");
  assert.equal(now.labels["mcps.config-hash"], plan.services.find((s) => s.name === "mcp-beta-acme")!.hash);
  assert.ok(!engine.byName(replacementName("mcp-beta-acme")));
});

test("a failing create leaves the old container running, untouched", async () => {
  const { engine, old, start } = await runningWithStaleBetaAcme();
  engine.failCreate.add("mcp-beta-acme-mcps-next");
  const beta = (await start()).find((o) => o.service === "mcp-beta-acme")!;
  assert.equal(beta.action, "failed");
  assert.match(beta.reason!, /port is already allocated/);
  assert.deepEqual(engine.calls, [], "nothing stopped, nothing removed");
  assert.equal(engine.byName("mcp-beta-acme")!.id, old.id);
  assert.equal(engine.byName("mcp-beta-acme")!.state, "running");
});

test("a replacement that does not start is removed and the old container started again", async () => {
  const { engine, old, start } = await runningWithStaleBetaAcme();
  engine.failStart.add("mcp-beta-acme-mcps-next");
  const beta = (await start()).find((o) => o.service === "mcp-beta-acme")!;
  assert.equal(beta.action, "failed");
  assert.equal(
    beta.reason,
    "recreating (stale: config changed): the replacement of mcp-beta-acme did not start: start mcp-beta-acme-mcps-next: port is already allocated; the previous container was started again",
  );
  assert.deepEqual(engine.calls, ["create mcp-beta-acme-mcps-next", "stop mcp-beta-acme", "remove mcp-beta-acme-mcps-next", "start mcp-beta-acme"]);
  assert.equal(engine.byName("mcp-beta-acme")!.id, old.id);
  assert.equal(engine.byName("mcp-beta-acme")!.state, "running");
  assert.ok(!engine.byName("mcp-beta-acme-mcps-next"));
});

test("a leftover replacement of an interrupted run (old one still there) is removed, then the service reconciled", async () => {
  const { engine, plan, start } = await runningWithStaleBetaAcme();
  // Ctrl-C after stop: the old one is stopped, the replacement created; its creator is gone.
  engine.byName("mcp-beta-acme")!.state = "exited";
  const spec = engine.byName("mcp-beta-acme")!.spec!;
  await engine.create({ ...spec, name: "mcp-beta-acme-mcps-next", labels: { ...plan.services[2]!.labels, [CREATED_BY]: "no-such-host-for-sure/1" } });
  // A creator on another host cannot be checked: the wait is bounded, then it counts as a leftover.
  engine.calls = [];
  const out = await start();
  assert.equal(out.find((o) => o.service === "mcp-beta-acme")!.action, "recreated");
  assert.deepEqual(names(engine), ["mcp-alpha-acme", "mcp-alpha-bolt", "mcp-beta-acme", "mcp-beta-bolt"]);
  assert.equal(engine.calls[0], "remove mcp-beta-acme-mcps-next");
});

test("a leftover replacement whose old container is already gone is adopted: renamed, then reconciled", async () => {
  const { engine, plan, start } = await runningWithStaleBetaAcme();
  const old = engine.byName("mcp-beta-acme")!;
  const beta = plan.services.find((s) => s.name === "mcp-beta-acme")!;
  // Ctrl-C after the old one was removed, before the rename. Its creator (a dead pid on this host) is gone.
  const id = await engine.create({
    ...old.spec!,
    name: "mcp-beta-acme-mcps-next",
    labels: { ...beta.labels, [CREATED_BY]: `${(await import("node:os")).hostname()}/999999999` },
  });
  await engine.start(id);
  await engine.remove(old.id);
  engine.calls = [];
  const out = await start();
  assert.equal(out.find((o) => o.service === "mcp-beta-acme")!.action, "unchanged");
  assert.deepEqual(engine.calls, ["rename mcp-beta-acme-mcps-next mcp-beta-acme"]);
  assert.equal(engine.byName("mcp-beta-acme")!.id, id);
});

test("two runs recreating the same service at once converge: one swap, no failure, no leftover", async () => {
  const { engine, plan, clock } = await runningWithStaleBetaAcme();
  const run = () => startServices(engine, plan, plan.services, secrets, options(clock));
  const [a, b] = await Promise.all([run(), run()]);
  for (const out of [a, b])
    assert.deepEqual(
      out.filter((o) => o.action === "failed"),
      [],
    );
  const actions = [a, b].map((out) => out.find((o) => o.service === "mcp-beta-acme")!.action).sort();
  assert.deepEqual(actions, ["recreated", "unchanged"]);
  assert.deepEqual(names(engine), ["mcp-alpha-acme", "mcp-alpha-bolt", "mcp-beta-acme", "mcp-beta-bolt"]);
  assert.equal(engine.calls.filter((c) => c.startsWith("rename")).length, 1);
});
