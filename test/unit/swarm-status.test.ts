/** status --target swarm on the in-memory engine: verdicts, last task error, orphans, the in-network probe. */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { test } from "node:test";
import { EngineUnreachableError } from "../../src/errors.js";
import type { SwarmServiceState, SwarmTaskState } from "../../src/engine/swarm-engine.js";
import { CONTAINER_PROBE_SOURCE, NETWORK_PROBE_SOURCE } from "../../src/health/container-probe.js";
import { swarmStatus } from "../../src/orchestrate/swarm-status.js";
import { LABEL, type Plan, type ServicePlan } from "../../src/plan/types.js";
import { swarmAllOk } from "../../src/orchestrate/swarm-verdicts.js";
import { swarmStatusJson, swarmStatusTable } from "../../src/output/swarm-status-output.js";
import { FakeEngine } from "../support/fake-engine.js";
import { withServer } from "../support/fake-mcp-server.js";
import { twoCustomers } from "../support/reconcile-kit.js";

const STACK = "prod";

/** The plan deployed as `docker stack deploy` would: one service per plan service, one running task each. */
function deployed(plan: Plan): FakeEngine {
  const engine = new FakeEngine();
  engine.swarmServices = plan.services.map(
    (s): SwarmServiceState => ({
      id: `svc-${s.name}`,
      name: `${STACK}_${s.name}`,
      labels: s.labels,
      image: s.image,
      desiredReplicas: 1,
      networkIds: [`net-${s.customerId}`],
    }),
  );
  engine.swarmTasks = plan.services.map((s) => task(s, { id: `task-${s.name}` }));
  return engine;
}

function task(s: ServicePlan, over: Partial<SwarmTaskState>): SwarmTaskState {
  return {
    id: "t",
    serviceId: `svc-${s.name}`,
    desiredState: "running",
    state: "running",
    message: "started",
    timestamp: "2026-03-01T12:00:00Z",
    ...over,
  };
}

const run = (engine: FakeEngine, plan: Plan, probe = true, services = plan.services) =>
  swarmStatus(engine, plan, services, { probe, concurrency: 4, timeoutMs: 5000, includeOrphans: services === plan.services });
const rows = (r: Awaited<ReturnType<typeof run>>) => r.services.map((s) => [s.service, s.state, `${s.running}/${s.desired}`]);

test("swarm status: every service running and answering is ok; the probe runs on the customer's network", async () => {
  const plan = await twoCustomers();
  const engine = deployed(plan);
  const r = await run(engine, plan);
  assert.deepEqual(rows(r), [
    ["mcp-alpha-acme", "ok", "1/1"],
    ["mcp-alpha-bolt", "ok", "1/1"],
    ["mcp-beta-acme", "ok", "1/1"],
    ["mcp-beta-bolt", "ok", "1/1"],
  ]);
  assert.equal(swarmAllOk(r), true);
  const alpha = engine.helperRuns.find((h) => h.networkId === "net-acme" && h.image === plan.services[0]!.image)!;
  // The health check's own source, addressed to the service's DNS name on that network.
  assert.deepEqual(alpha.command, ["node", "-e", NETWORK_PROBE_SOURCE, "8000", "/mcp", "streamable-http", "4000", `${STACK}_mcp-alpha-acme`]);
  assert.equal(alpha.labels[LABEL.project], plan.project);
  assert.equal(engine.helperRuns.length, 4);
  assert.deepEqual((swarmStatusJson(r) as { ok: boolean }).ok, true);
});

test("swarm status: missing, stale, down with the last task error, degraded, a failed probe, an orphan", async () => {
  const plan = await twoCustomers();
  const engine = deployed(plan);
  const [alphaAcme, alphaBolt, betaAcme, betaBolt] = plan.services as [ServicePlan, ServicePlan, ServicePlan, ServicePlan];
  const svc = (s: ServicePlan) => engine.swarmServices!.find((x) => x.id === `svc-${s.name}`)!;
  // alpha-acme: crashing; Swarm keeps the failed tasks.
  engine.swarmTasks = engine.swarmTasks.filter((t) => t.serviceId !== svc(alphaAcme).id);
  engine.swarmTasks.push(
    task(alphaAcme, { id: "old", state: "failed", error: "task: non-zero exit (1)", timestamp: "2026-03-01T11:00:00Z" }),
    task(alphaAcme, { id: "new", state: "failed", error: "task: non-zero exit (3)", exitCode: 3, timestamp: "2026-03-01T12:00:05Z" }),
    task(alphaAcme, { id: "next", state: "starting", timestamp: "2026-03-01T12:00:10Z" }),
  );
  // alpha-bolt: deployed from another config.
  svc(alphaBolt).labels = { ...svc(alphaBolt).labels, [LABEL.hash]: "0".repeat(64) };
  // beta-acme: two replicas wanted, one runs.
  svc(betaAcme).desiredReplicas = 2;
  // beta-bolt: runs, but does not answer MCP.
  engine.helperAnswer = (h) =>
    h.networkId === "net-bolt"
      ? { exitCode: 1, output: ["mcp probe: initialize failed: boom (JSON-RPC error -32603)"] }
      : { exitCode: 0, output: [] };
  // A service of the project that the config no longer has.
  engine.swarmServices!.push({
    ...svc(betaBolt),
    id: "svc-gone",
    name: `${STACK}_mcp-beta-gone`,
    labels: { ...svc(betaBolt).labels, [LABEL.service]: "mcp-beta-gone" },
  });
  // Another project's service is not ours to report.
  engine.swarmServices!.push({ ...svc(betaBolt), id: "svc-other", labels: { ...svc(betaBolt).labels, [LABEL.project]: "other" } });

  const r = await run(engine, plan);
  assert.deepEqual(rows(r), [
    ["mcp-alpha-acme", "down", "0/1"],
    ["mcp-alpha-bolt", "stale", "1/1"],
    ["mcp-beta-acme", "degraded", "1/2"],
    ["mcp-beta-bolt", "unhealthy", "1/1"],
    ["mcp-beta-gone", "orphan", "0/1"],
  ]);
  const byName = Object.fromEntries(r.services.map((s) => [s.service, s]));
  assert.equal(byName["mcp-alpha-acme"]!.lastError, "failed: task: non-zero exit (3)");
  assert.equal(byName["mcp-beta-bolt"]!.probe?.error, "initialize failed: boom (JSON-RPC error -32603)");
  // No running task, no probe.
  assert.equal(byName["mcp-alpha-acme"]!.probe, undefined);
  assert.equal(swarmAllOk(r), false);
  const text = swarmStatusTable(r);
  assert.match(text, /^acme\s+alpha\s+prod_mcp-alpha-acme\s+0\/1\s+down\s+-\s+failed: task: non-zero exit \(3\)$/m);
  assert.match(text, /bolt beta: MCP probe failed: initialize failed: boom/);

  // A selection leaves orphans out; a missing service is said as such.
  engine.swarmServices = engine.swarmServices!.filter((s) => s.id !== svc(alphaBolt).id);
  const some = await run(engine, plan, false, [alphaBolt]);
  assert.deepEqual(rows(some), [["mcp-alpha-bolt", "missing", "0/0"]]);
});

test("swarm status: an engine that is not a swarm manager is exit 3 (unreachable swarm)", async () => {
  const plan = await twoCustomers();
  const engine = new FakeEngine();
  await assert.rejects(run(engine, plan), (e) => e instanceof EngineUnreachableError && /not a swarm manager/.test(e.message));
});

test("the network probe is the health check's source with only the address changed, and it really probes", async () => {
  // Only the address differs, and the network probe leaves no verdict behind (it is not the container's own check).
  const strip = (src: string) =>
    src
      .replace(/const \[port[^;]*;/, "")
      .replace(/const url = [^;]*;/, "")
      .replace(/const freshMs = [^;]*;/, "")
      .replace(/const MARKER = [^;]*;/, "")
      .replace(/\s+/g, " ");
  assert.equal(strip(NETWORK_PROBE_SOURCE), strip(CONTAINER_PROBE_SOURCE));
  assert.notEqual(NETWORK_PROBE_SOURCE, CONTAINER_PROBE_SOURCE);
  await withServer({}, async (server) => {
    // Not spawnSync: the server answers from this very process.
    const probe = (host: string) =>
      new Promise<{ status: number; stderr: string }>((resolve) =>
        execFile(
          process.execPath,
          ["-e", NETWORK_PROBE_SOURCE, String(server.port), server.path, "streamable-http", "3000", host],
          (e, _out, stderr) => resolve({ status: e ? Number(e.code) : 0, stderr }),
        ),
      );
    const good = await probe("127.0.0.1");
    assert.equal(good.status, 0, good.stderr);
    const wrong = await probe("localhost.invalid");
    assert.equal(wrong.status, 1);
    assert.match(wrong.stderr, /^mcp probe: /);
  });
});
