/** status on the in-memory engine: verdicts, the exit-code rule (stale, starting, orphans), JSON fields. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { loadCatalog } from "../../src/catalog/catalog.js";
import { draftConfig } from "../../src/config/load-config.js";
import { allOk, fleetStatus, type StatusReport } from "../../src/orchestrate/status.js";
import { startServices } from "../../src/orchestrate/start.js";
import { statusJson } from "../../src/output/status-json.js";
import { buildPlan } from "../../src/plan/build-plan.js";
import { LABEL, type Plan } from "../../src/plan/types.js";
import { validateConfig } from "../../src/plan/validate.js";
import { FakeEngine } from "../support/fake-engine.js";
import { FIXTURE_CATALOG, fixtureCustomer } from "../support/workspace.js";

const NOW = Date.parse("2026-03-01T12:00:00Z");

async function planOf(config: unknown): Promise<Plan> {
  const catalog = await loadCatalog(FIXTURE_CATALOG);
  const draft = draftConfig(JSON.stringify(config), "mcp_servers.json");
  const { customers } = validateConfig(draft, catalog);
  return buildPlan({ file: "mcp_servers.json", project: draft.project, defaults: draft.defaults, customers }, catalog).plan;
}

/** Two customers of both fixture types, all started on the fake engine. */
async function fleet(): Promise<{ engine: FakeEngine; plan: Plan }> {
  const engine = new FakeEngine();
  engine.images.set("example.invalid/beta:1.0", "sha256:beta");
  const plan = await planOf({ customers: [fixtureCustomer("Acme"), fixtureCustomer("Bolt")] });
  await startServices(engine, plan, plan.services, () => "sekret-value", { concurrency: 2, rebuild: false, buildArgs: {} });
  return { engine, plan };
}

const container = (engine: FakeEngine, name: string) => [...engine.containers.values()].find((c) => c.name === name)!;
const status = (engine: FakeEngine, plan: Plan, includeOrphans = true) =>
  fleetStatus(engine, plan, plan.services, { probe: false, concurrency: 4, timeoutMs: 1000, includeOrphans, now: () => NOW });
/** Status of these services when their customers were named on the command line. */
const statusAsked = (engine: FakeEngine, plan: Plan, services: Plan["services"]) =>
  fleetStatus(engine, plan, services, { probe: false, concurrency: 4, timeoutMs: 1000, includeOrphans: false, asked: true, now: () => NOW });
const row = (r: StatusReport, service: string) => r.services.find((s) => s.service === service)!;

test("all running and healthy: every row ok, exit rule says ok", async () => {
  const { engine, plan } = await fleet();
  const r = await status(engine, plan);
  assert.deepEqual(
    r.services.map((s) => [s.service, s.verdict, s.stale, s.note]),
    // By customer, then type: CUSTOMER is the table's first column.
    [
      ["mcp-alpha-acme", "ok", [], ""],
      ["mcp-beta-acme", "ok", [], ""],
      ["mcp-alpha-bolt", "ok", [], ""],
      ["mcp-beta-bolt", "ok", [], ""],
    ],
  );
  assert.equal(allOk(r), true);
  assert.equal(r.summary.ok, 4);
});

test("stale is not ok: a changed config hash, an image the tag no longer points to, a hand-edited limit", async () => {
  const { engine, plan } = await fleet();
  container(engine, "mcp-alpha-acme").labels = { ...container(engine, "mcp-alpha-acme").labels, [LABEL.hash]: "old" };
  engine.images.set("example.invalid/beta:1.0", "sha256:rebuilt");
  container(engine, "mcp-alpha-bolt").details = {
    settings: { ...(await engine.inspect(container(engine, "mcp-alpha-bolt").id))!.settings, memoryBytes: 1 },
  };
  const r = await status(engine, plan);
  // The same phrases as start's recreate reasons: one rule (staleness.ts) for both commands.
  assert.deepEqual(row(r, "mcp-alpha-acme").stale, ["config changed"]);
  assert.match(row(r, "mcp-alpha-bolt").stale.join(), /^memory 1 bytes, plan \d+ MiB$/);
  assert.match(row(r, "mcp-beta-acme").stale.join(), /^image example\.invalid\/beta:1\.0 was rebuilt or retagged$/);
  assert.equal(row(r, "mcp-alpha-acme").verdict, "stale");
  assert.equal(row(r, "mcp-alpha-acme").note, "stale: config changed (mcps start recreates it)");
  assert.equal(r.summary.stale, 4);
  assert.equal(allOk(r), false, "stale makes status exit 1");
});

test("--no-probe: health starting is its own verdict (not ok, not failing) until Docker decides; no health check past the start period with no answer fails", async () => {
  const { engine, plan } = await fleet();
  const early = container(engine, "mcp-alpha-acme");
  early.health = "starting";
  early.details = { startedAt: new Date(NOW - 3_000).toISOString() };
  const late = container(engine, "mcp-alpha-bolt");
  late.health = "starting";
  late.details = { startedAt: new Date(NOW - 120_000).toISOString() };
  const r = await status(engine, plan);
  assert.equal(row(r, "mcp-alpha-acme").verdict, "starting");
  assert.equal(row(r, "mcp-alpha-acme").note, "in its start period");
  assert.equal(row(r, "mcp-alpha-bolt").verdict, "starting", "past the start period Docker still counts its retries");
  late.health = "unhealthy";
  late.details = { startedAt: new Date(NOW - 120_000).toISOString(), healthFailingStreak: 3, lastHealthOutput: "mcp probe: no answer\nmore" };
  const after = await status(engine, plan);
  assert.equal(row(after, "mcp-alpha-bolt").verdict, "failing");
  assert.equal(row(after, "mcp-alpha-bolt").note, "Docker health check failed 3 times: mcp probe: no answer");
  assert.equal(r.summary.starting, 2);
  assert.equal(allOk(r), false, "starting is not ok yet: exit 1");
});

test("a crash-looping orphan is never ok; a healthy-running orphan is", async () => {
  const { engine } = await fleet();
  const smaller = await planOf({ customers: [fixtureCustomer("Acme")] });
  const bolt = container(engine, "mcp-alpha-bolt");
  Object.assign(bolt, { state: "restarting", health: "none" });
  bolt.details = { exitCode: 3, restartCount: 8 };
  const r = await status(engine, smaller);
  assert.deepEqual(
    r.services.filter((s) => s.orphan).map((s) => [s.service, s.verdict]),
    [
      ["mcp-alpha-bolt", "failing"],
      ["mcp-beta-bolt", "ok"],
    ],
  );
  assert.match(row(r, "mcp-alpha-bolt").note, /exit code 3, 8 restarts/);
  assert.equal(r.summary.ok, r.summary.total, "every planned service is fine");
  assert.equal(r.summary.orphansNotOk, 1);
  assert.equal(allOk(r), false, "the crash-looping orphan makes status exit 1");

  Object.assign(bolt, { state: "running", health: "healthy" });
  assert.equal(allOk(await status(engine, smaller)), true);
});

test("an exited service says its exit code and OOM; a missing one says how to fix it; blank secrets are named", async () => {
  const { engine, plan } = await fleet();
  const dead = container(engine, "mcp-alpha-acme");
  Object.assign(dead, { state: "exited", health: "none" });
  dead.details = { exitCode: 137, oomKilled: true, finishedAt: "2026-03-01T11:59:00Z" };
  engine.containers.delete(container(engine, "mcp-beta-bolt").id);
  container(engine, "mcp-alpha-bolt").details = { emptyEnv: ["ALPHA_TOKEN", "ALPHA_MODE"] };
  const r = await status(engine, plan);
  assert.equal(row(r, "mcp-alpha-acme").note, "OOM killed; exit code 137");
  assert.equal(row(r, "mcp-beta-bolt").state, "missing");
  assert.equal(row(r, "mcp-beta-bolt").note, "no container (mcps start creates it)");
  assert.equal(row(r, "mcp-beta-bolt").verdict, "stopped", "not created is no failure");
  assert.equal(row(r, "mcp-beta-bolt").ok, true, "unless its customer is named");
  assert.equal(row(await statusAsked(engine, plan, plan.services), "mcp-beta-bolt").ok, false);
  assert.deepEqual(row(r, "mcp-alpha-bolt").misconfigured, ["ALPHA_TOKEN"], "only referenced variables, by name");
  assert.equal(row(r, "mcp-alpha-bolt").ok, false);
});

test("JSON: snake_case, ISO 8601 times, exit code, restarts, health streak, tools as names, stale reasons", async () => {
  const { engine, plan } = await fleet();
  const c = container(engine, "mcp-alpha-acme");
  c.details = {
    startedAt: "2026-03-01T11:00:00.123456789Z",
    restartCount: 2,
    healthFailingStreak: 1,
    lastHealthOutput: "mcp probe: no answer in 4000 ms",
  };
  c.labels = { ...c.labels, [LABEL.hash]: "old" };
  const r = await status(engine, plan);
  const acme = row(r, "mcp-alpha-acme");
  acme.mcp = { ok: true, latencyMs: 12.3, protocolVersion: "2025-06-18", serverName: "fake", tools: ["a", "b"] };
  const doc = statusJson(r);
  const j = doc.services.find((s) => s.service === "mcp-alpha-acme")!;
  assert.equal(j.started_at, "2026-03-01T11:00:00.123456789Z");
  assert.equal(j.finished_at, null);
  assert.equal(j.created_at, "2026-01-01T00:00:00Z");
  assert.equal(j.exit_code, 0);
  assert.equal(j.restart_count, 2);
  assert.equal(j.health_failing_streak, 1);
  assert.equal(j.last_health_output, "mcp probe: no answer in 4000 ms");
  assert.deepEqual(j.tools, ["a", "b"]);
  assert.equal(j.mcp?.latency_ms, 12.3);
  assert.equal(j.stale, true);
  assert.deepEqual(j.stale_reasons, ["config changed"]);
  assert.equal(doc.ok, false);
  assert.match(doc.checked_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  assert.ok(!JSON.stringify(doc).includes("sekret-value"), "no secret value anywhere");
  assert.ok(!JSON.stringify(doc).match(/seconds|minutes/), "no duration phrases");
  const keys = Object.keys(doc.services[0]!).sort();
  for (const s of doc.services) assert.deepEqual(Object.keys(s).sort(), keys, "every row has the same keys");
});

test("a container stopped on purpose is `stopped`: not a failure, unless its customer was asked for", async () => {
  const { engine, plan } = await fleet();
  for (const name of ["mcp-alpha-bolt", "mcp-beta-bolt"]) {
    const c = container(engine, name);
    // What `mcps stop` leaves: exited by SIGTERM under unless-stopped, with Docker's last health kept.
    Object.assign(c, { state: "exited", health: "unhealthy" });
    c.details = { exitCode: 143 };
  }
  const all = await status(engine, plan);
  assert.equal(row(all, "mcp-alpha-bolt").verdict, "stopped");
  assert.equal(row(all, "mcp-alpha-bolt").health, "none", "a stopped container's last health says nothing about now");
  assert.equal(row(all, "mcp-alpha-bolt").note, "stopped (mcps start brings it back)");
  assert.equal(all.summary.stopped, 2);
  assert.equal(allOk(all), true, "a stop on purpose does not fail status");
  const bolt = plan.services.filter((s) => s.customerId === "bolt");
  assert.equal(allOk(await statusAsked(engine, plan, bolt)), false, "the customer asked for is not running: exit 1");
});

test("an exit that is no stop stays a failure: a crash under restart no, an OOM kill", async () => {
  const { engine, plan } = await fleet();
  const crashed = container(engine, "mcp-alpha-bolt");
  Object.assign(crashed, { state: "exited", health: "none" });
  crashed.details = { exitCode: 1, settings: { ...(await engine.inspect(crashed.id))!.settings, restart: "no" } };
  const oom = container(engine, "mcp-beta-bolt");
  Object.assign(oom, { state: "exited", health: "none" });
  oom.details = { exitCode: 137, oomKilled: true };
  const r = await status(engine, plan);
  assert.equal(row(r, "mcp-alpha-bolt").verdict, "failing");
  assert.equal(row(r, "mcp-beta-bolt").verdict, "failing");
  assert.equal(allOk(r), false);
});
