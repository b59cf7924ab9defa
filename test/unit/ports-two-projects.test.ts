/**
 * Two projects on one engine with the same customers and no port range of their own: a non-default
 * project's ports derive from the project too, and before start touches a container every host port
 * it would publish is checked against the engine's listing (any project's containers) and, for a
 * local engine, against a real socket. A held port is one line, exit 2, nothing created.
 */
import assert from "node:assert/strict";
import { createServer, type Server } from "node:net";
import { test } from "node:test";
import { BadInputError, PortConflictError } from "../../src/errors.js";
import { acceptsConnections, engineIsLocal } from "../../src/orchestrate/port-preflight.js";
import { startServices } from "../../src/orchestrate/start.js";
import { assignPorts } from "../../src/plan/ports.js";
import type { Plan } from "../../src/plan/types.js";
import { FakeEngine } from "../support/fake-engine.js";
import { FakeClock, engineWithImages, options, planOf, secrets } from "../support/reconcile-kit.js";
import { fixtureCustomer } from "../support/workspace.js";

const customers = [fixtureCustomer("Acme"), fixtureCustomer("Bolt")];
const portsOf = (plan: Plan) => Object.fromEntries(plan.services.map((s) => [s.name, s.hostPort]));
const noProbe = async () => false;

/** A customer whose alpha server pins its host port. */
const pinned = (name: string, port: number) => {
  const c = fixtureCustomer(name);
  return { ...c, mcp_servers: c.mcp_servers.map((m) => (m.type === "alpha" ? { ...m, port } : m)) };
};

const conflictOf = async (run: Promise<unknown>): Promise<PortConflictError> => {
  try {
    await run;
  } catch (e) {
    if (e instanceof PortConflictError) return e;
    throw e;
  }
  assert.fail("start went ahead with a held port");
};

test("the default project keeps its ports; another project with the same customers gets other ports", async () => {
  const mcps = await planOf({ customers });
  const staging = await planOf({ project: "staging", customers });
  const prod = await planOf({ project: "prod", customers });
  const requests = mcps.services.map((s) => ({ name: s.name }));
  const range = { from: 20000, to: 29999 };
  // The default project's derivation is the one every committed file holds: the name alone.
  assert.deepEqual(portsOf(mcps), Object.fromEntries(assignPorts(requests, range, new Map()).ports));
  assert.deepEqual(portsOf(mcps), Object.fromEntries(assignPorts(requests, range, new Map(), "mcps").ports));
  const taken = new Set(Object.values(portsOf(mcps)));
  for (const other of [staging, prod]) {
    for (const s of other.services) assert.ok(!taken.has(s.hostPort), `${other.project}'s ${s.name} took ${s.hostPort}, a port of project mcps`);
  }
  assert.notDeepEqual(portsOf(staging), portsOf(prod));
  // Stable: the same project derives the same ports every time.
  assert.deepEqual(portsOf(staging), portsOf(await planOf({ project: "staging", customers })));
});

test("a port another mcps project's container holds: one line naming port, service and holder; nothing created", async () => {
  const engine = engineWithImages();
  const first = await planOf({ project: "first", customers: [pinned("Acme", 24347)] });
  await startServices(engine, first, first.services, secrets, options(new FakeClock(), { portProbe: noProbe }));
  const callsBefore = engine.calls.length;
  const containersBefore = engine.containers.size;

  const second = await planOf({ project: "second", customers: [pinned("Acme", 24347)] });
  const e = await conflictOf(startServices(engine, second, second.services, secrets, options(new FakeClock(), { portProbe: noProbe })));
  assert.ok(e instanceof BadInputError, "bad input: exit 2");
  assert.deepEqual(e.lines(), [
    'mcps: host port 24347 for mcp-alpha-acme is held by container first-mcp-alpha-acme of mcps project "first"; pin another port (mcp_servers[].port) or set defaults.port_range; no container was touched',
  ]);
  assert.deepEqual(engine.calls.slice(callsBefore), [], "the engine was asked to do something");
  assert.equal(engine.containers.size, containersBefore);

  // Without pins, the two projects derive different ports and both run.
  const a = await planOf({ project: "first", customers: [fixtureCustomer("Bolt")] });
  const b = await planOf({ project: "second", customers: [fixtureCustomer("Bolt")] });
  await startServices(engine, a, a.services, secrets, options(new FakeClock(), { portProbe: noProbe }));
  const out = await startServices(engine, b, b.services, secrets, options(new FakeClock(), { portProbe: noProbe }));
  assert.deepEqual(
    out.map((o) => o.action),
    ["created", "created"],
  );
});

test("a port a container mcps did not make holds is named as such; its own container's port is fine", async () => {
  const engine = engineWithImages();
  const plan = await planOf({ customers: [pinned("Acme", 25001)] });
  engine.containers.set("web", {
    id: "web",
    name: "nginx-1",
    labels: {},
    state: "running",
    health: "none",
    status: "Up",
    imageId: "sha256:nginx",
    published: [{ hostIp: "0.0.0.0", port: 25001 }],
  });
  const e = await conflictOf(startServices(engine, plan, plan.services, secrets, options(new FakeClock(), { portProbe: noProbe })));
  assert.match(e.lines()[0]!, /^mcps: host port 25001 for mcp-alpha-acme is held by container nginx-1 \(not made by mcps\);/);
  assert.equal(e.lines().length, 1);
  engine.containers.delete("web");

  // Started, then started again and force-recreated: its own running container holds the port.
  const probe = async () => true; // anything a socket would find is the service's own container
  await startServices(engine, plan, plan.services, secrets, options(new FakeClock(), { portProbe: noProbe }));
  const again = await startServices(engine, plan, plan.services, secrets, options(new FakeClock(), { portProbe: probe }));
  assert.deepEqual(
    again.map((o) => o.action),
    ["unchanged", "unchanged"],
  );
  const recreated = await startServices(engine, plan, plan.services, secrets, options(new FakeClock(), { portProbe: probe, forceRecreate: true }));
  assert.deepEqual(
    recreated.map((o) => o.action),
    ["recreated", "recreated"],
  );
});

test("a real listening socket on 127.0.0.1 holds the port: named as a process on this machine", async (t) => {
  const server: Server = createServer((c) => c.destroy());
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  t.after(() => new Promise<void>((r) => server.close(() => r())));
  const port = (server.address() as { port: number }).port;
  const engine = engineWithImages();
  const plan = await planOf({ customers: [pinned("Acme", port)] });
  const e = await conflictOf(startServices(engine, plan, plan.services, secrets, options(new FakeClock(), { portProbe: acceptsConnections })));
  assert.deepEqual(e.lines(), [
    `mcps: host port ${port} for mcp-alpha-acme is held by a process on this machine (something accepts connections on 127.0.0.1:${port}); pin another port (mcp_servers[].port) or set defaults.port_range; no container was touched`,
  ]);
  assert.deepEqual(engine.calls, []);
  assert.equal(engine.containers.size, 0);
  await new Promise<void>((r) => server.close(() => r()));
  // Closed: the same start goes ahead.
  const out = await startServices(engine, plan, plan.services, secrets, options(new FakeClock(), { portProbe: acceptsConnections }));
  assert.ok(out.every((o) => o.action === "created"));
});

test("a connect that finds a port held by this project's own container started meanwhile is no conflict", async () => {
  const engine = engineWithImages();
  const plan = await planOf({ customers: [pinned("Acme", 25002)] });
  const alpha = plan.services.find((s) => s.type === "alpha")!;
  // The probe runs after the first listing: a concurrent run of this project starts the container now.
  const probe = async (_host: string, port: number) => {
    if (port !== 25002) return false;
    engine.containers.set("other-run", {
      id: "other-run",
      name: alpha.containerName,
      labels: alpha.labels,
      state: "running",
      health: "healthy",
      status: "Up",
      imageId: "sha256:x",
      published: [{ hostIp: "127.0.0.1", port: 25002 }],
    });
    return true;
  };
  await startServices(engine, plan, plan.services, secrets, options(new FakeClock(), { portProbe: probe }));
});

test("only an engine on this machine gets the socket check", () => {
  assert.ok(engineIsLocal("unix:///var/run/docker.sock (DOCKER_HOST unset)"));
  assert.ok(engineIsLocal("tcp://127.0.0.1:2375 (DOCKER_HOST)"));
  assert.ok(!engineIsLocal("tcp://build-host.example:2376 (DOCKER_HOST)"));
  assert.ok(!engineIsLocal("ssh://me@build-host (DOCKER_HOST)"));
  assert.ok(!engineIsLocal(new FakeEngine().endpoint));
});

test("a crash-looping own container lists no ports while Docker's proxy still answers on them: no conflict, start deals with it", async () => {
  const engine = engineWithImages();
  const plan = await planOf({ customers: [fixtureCustomer("Acme")] });
  await startServices(engine, plan, plan.services, secrets, options(new FakeClock(), { portProbe: noProbe }));
  const alpha = [...engine.containers.values()].find((c) => c.name === "mcp-alpha-acme")!;
  Object.assign(alpha, { state: "restarting", health: "none" });
  const answering = async () => true;
  const { checkHostPorts } = await import("../../src/orchestrate/port-preflight.js");
  const all = (await engine.list({})).map((c) => (c.name === "mcp-alpha-acme" ? { ...c, published: [] } : c));
  await checkHostPorts(engine, plan, plan.services, { all, probe: answering });
  // Without its own container, the same answer is someone else's process.
  const others = all.filter((c) => c.name !== "mcp-alpha-acme");
  const e = await conflictOf(checkHostPorts(engine, plan, plan.services, { all: others, probe: answering }));
  assert.match(e.lines()[0]!, /is held by a process on this machine/);
});
