/** Races are normal: concurrent runs, name conflicts, duplicate networks; and whose container is whose. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { NameTakenError } from "../../src/errors.js";
import { startServices } from "../../src/orchestrate/start.js";
import { FakeClock, engineWithImages, options, planOf, secrets, twoCustomers } from "../support/reconcile-kit.js";
import { fixtureCustomer } from "../support/workspace.js";

test("three cold starts at once all succeed and leave one container per service and one network per customer", async () => {
  const engine = engineWithImages();
  const plan = await twoCustomers();
  const clock = new FakeClock();
  const runs = await Promise.all([1, 2, 3].map(() => startServices(engine, plan, plan.services, secrets, options(clock))));
  for (const out of runs)
    assert.deepEqual(
      out.filter((o) => o.action === "failed"),
      [],
    );
  assert.deepEqual([...engine.containers.values()].map((c) => c.name).sort(), ["mcp-alpha-acme", "mcp-alpha-bolt", "mcp-beta-acme", "mcp-beta-bolt"]);
  assert.ok([...engine.containers.values()].every((c) => c.state === "running"));
  const created = runs
    .flat()
    .filter((o) => o.action === "created")
    .map((o) => o.service)
    .sort();
  assert.deepEqual(created, ["mcp-alpha-acme", "mcp-alpha-bolt", "mcp-beta-acme", "mcp-beta-bolt"], "each created exactly once");
  const nets = [...engine.networks.values()].map((n) => n.name).sort();
  assert.deepEqual(nets, ["mcps-acme", "mcps-bolt"]);
  for (const c of engine.containers.values()) assert.ok(engine.networks.has(c.spec!.networkId), `${c.name} on a kept network`);
});

test("a name conflict on create means another run was quicker: its container is read and reconciled", async () => {
  const engine = engineWithImages();
  const plan = await planOf({ customers: [fixtureCustomer("Acme")] });
  const clock = new FakeClock();
  let raced = false;
  engine.beforeCreate = async (spec) => {
    if (raced || spec.name !== "mcp-beta-acme") return;
    raced = true;
    // The other run creates (but has not yet started) the same container just before us.
    engine.beforeCreate = undefined;
    await engine.create(spec);
  };
  const out = await startServices(engine, plan, plan.services, secrets, options(clock));
  assert.deepEqual(
    out.map((o) => [o.service, o.action]),
    [
      ["mcp-alpha-acme", "created"],
      ["mcp-beta-acme", "started"],
    ],
  );
  assert.equal([...engine.containers.values()].filter((c) => c.name === "mcp-beta-acme").length, 1);
});

test("duplicate networks from a race: the oldest is kept and used, the others removed", async () => {
  const engine = engineWithImages();
  const plan = await planOf({ customers: [fixtureCustomer("Acme")] });
  const labels = plan.networks[0]!.labels;
  const older = await engine.createNetwork("mcps-acme", labels);
  const newer = await engine.createNetwork("mcps-acme", labels);
  const out = await startServices(engine, plan, plan.services, secrets, options(new FakeClock()));
  assert.ok(out.every((o) => o.action === "created"));
  assert.deepEqual([...engine.networks.keys()], [older]);
  assert.ok(engine.calls.includes(`removeNetwork ${newer}`));
  for (const c of engine.containers.values()) assert.equal(c.spec!.networkId, older, "addressed by ID");
});

test("a network of our name without our labels is an error naming it; nothing is created on it", async () => {
  const engine = engineWithImages();
  const plan = await planOf({ customers: [fixtureCustomer("Acme")] });
  await engine.createNetwork("mcps-acme", { owner: "someone" });
  engine.createNetwork = async () => {
    throw new NameTakenError("network with name mcps-acme already exists");
  };
  const out = await startServices(engine, plan, plan.services, secrets, options(new FakeClock()));
  assert.deepEqual(
    out.map((o) => o.action),
    ["failed", "failed"],
  );
  assert.match(out[0]!.reason!, /^network mcps-acme could not be created: a network of that name exists without the labels of project "mcps"/);
  assert.equal(engine.containers.size, 0);
});

test("a container under our name from ANOTHER mcps project is named as such, and left alone", async () => {
  const engine = engineWithImages();
  engine.addForeign("mcp-beta-acme", { "mcps.project": "staging" });
  const plan = await planOf({ customers: [fixtureCustomer("Acme")] });
  const out = await startServices(engine, plan, plan.services, secrets, options(new FakeClock()));
  const beta = out.find((o) => o.service === "mcp-beta-acme")!;
  assert.equal(beta.action, "failed");
  assert.equal(
    beta.reason,
    'a container named mcp-beta-acme belongs to mcps project "staging", not "mcps"; give the projects distinct names or remove it with that project\'s config',
  );
  assert.ok(!engine.calls.some((c) => c.includes("mcp-beta-acme")));
});

test("two projects with the same customers run side by side: neither treats the other's containers as its own", async () => {
  const engine = engineWithImages();
  const clock = new FakeClock();
  const prod = await planOf({ customers: [fixtureCustomer("Acme")] });
  const staging = await planOf({ project: "staging", customers: [fixtureCustomer("Acme")] });
  engine.images.set(staging.services[0]!.image, "sha256:alpha-staging");
  const [a, b] = await Promise.all([
    startServices(engine, prod, prod.services, secrets, options(clock)),
    startServices(engine, staging, staging.services, secrets, options(clock)),
  ]);
  assert.deepEqual(
    [...a, ...b].map((o) => o.action),
    ["created", "created", "created", "created"],
  );
  assert.deepEqual([...engine.containers.values()].map((c) => c.name).sort(), [
    "mcp-alpha-acme",
    "mcp-beta-acme",
    "staging-mcp-alpha-acme",
    "staging-mcp-beta-acme",
  ]);
  assert.deepEqual([...engine.networks.values()].map((n) => n.name).sort(), ["mcps-acme", "staging-acme"]);
  const again = await startServices(engine, staging, staging.services, secrets, options(clock));
  assert.deepEqual(
    again.map((o) => o.action),
    ["unchanged", "unchanged"],
  );
});

test("a container vanishing under us (removed by another run) is read again, not a failure", async () => {
  const engine = engineWithImages();
  const plan = await planOf({ customers: [fixtureCustomer("Acme")] });
  const clock = new FakeClock();
  await startServices(engine, plan, plan.services, secrets, options(clock));
  const beta = engine.byName("mcp-beta-acme")!;
  await engine.stop(beta.id);
  const realStart = engine.start.bind(engine);
  let once = true;
  engine.start = async (id) => {
    if (once && id === beta.id) {
      once = false;
      await engine.remove(id); // `docker rm` by someone else, just before our start
    }
    return realStart(id);
  };
  const out = await startServices(engine, plan, plan.services, secrets, options(clock));
  assert.deepEqual(
    out.map((o) => [o.service, o.action]),
    [
      ["mcp-alpha-acme", "unchanged"],
      ["mcp-beta-acme", "created"],
    ],
  );
});

test("the oldest duplicate network is judged by time, not by text (Docker writes 0 to 9 fraction digits)", async () => {
  const engine = engineWithImages();
  const plan = await planOf({ customers: [fixtureCustomer("Acme")] });
  const labels = plan.networks[0]!.labels;
  engine.networks.set("net-b", { id: "net-b", name: "mcps-acme", labels, createdAt: "2026-01-01T00:00:01.1Z" });
  // As text "01Z" sorts after "01.1Z"; as time it is earlier.
  engine.networks.set("net-a", { id: "net-a", name: "mcps-acme", labels, createdAt: "2026-01-01T00:00:01Z" });
  await startServices(engine, plan, plan.services, secrets, options(new FakeClock()));
  assert.deepEqual([...engine.networks.keys()], ["net-a"]);
});

test("a start refused because a racing run's duplicate network still exists is retried, and still reported as created", async () => {
  const engine = engineWithImages();
  const plan = await planOf({ customers: [fixtureCustomer("Acme")] });
  const realStart = engine.start.bind(engine);
  let refusals = 0;
  engine.start = async (id) => {
    if (refusals++ < 2) throw new Error(`start ${id}: network mcps-acme is ambiguous (2 matches found on name)`);
    return realStart(id);
  };
  const out = await startServices(engine, plan, plan.services, secrets, options(new FakeClock()));
  assert.deepEqual(
    out.map((o) => o.action),
    ["created", "created"],
  );
  assert.equal(engine.containers.size, 2);
});
