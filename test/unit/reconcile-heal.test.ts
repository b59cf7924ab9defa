/** Heal what runs but does not serve; --wait fails fast with the exit code, restarts and last log lines. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { startServices } from "../../src/orchestrate/start.js";
import { FakeClock, engineWithImages, options, planOf, scriptedProbe, secrets } from "../support/reconcile-kit.js";
import { fixtureCustomer } from "../support/workspace.js";

async function runningAcme() {
  const engine = engineWithImages();
  const plan = await planOf({ customers: [fixtureCustomer("Acme")] });
  const clock = new FakeClock();
  await startServices(engine, plan, plan.services, secrets, options(clock));
  engine.calls = [];
  const alpha = plan.services.find((s) => s.type === "alpha")!;
  return { engine, plan, clock, alpha, container: engine.byName("mcp-alpha-acme")! };
}

test("a container Docker calls unhealthy is restarted and reported as such", async () => {
  const { engine, plan, clock, container } = await runningAcme();
  container.details = { health: "unhealthy", healthFailingStreak: 3, lastHealthOutput: "mcp probe: no answer in 10000 ms\nmore" };
  const out = await startServices(engine, plan, plan.services, secrets, options(clock));
  assert.deepEqual(
    out.map((o) => [o.action, o.detail]),
    [
      ["restarted", "unhealthy: Docker health check failed 3 times: mcp probe: no answer in 10000 ms"],
      ["unchanged", undefined],
    ],
  );
  assert.deepEqual(engine.calls, ["stop mcp-alpha-acme", "start mcp-alpha-acme"]);
});

test("past its start period, a running server that does not answer MCP (hung) is restarted", async () => {
  const { engine, plan, clock, alpha } = await runningAcme();
  engine.now = () => Date.now();
  const probe = scriptedProbe((url) => (url === alpha.url ? { ok: false, error: "no answer in 2500 ms" } : { ok: true }));
  const later = Date.now() + 60_000; // alpha's start period is 30 s
  const out = await startServices(engine, plan, plan.services, secrets, options(clock, { probe, now: () => later }));
  assert.deepEqual(out[0], { ...out[0], action: "restarted", detail: `unhealthy: no MCP answer at ${alpha.url}: no answer in 2500 ms` });
  assert.equal(probe.calls.filter((u) => u === alpha.url).length, 3, "asked three times before a restart");
  assert.equal(out[1]!.action, "unchanged");
});

test("within its start period, or while Docker has not yet seen it answer, a server is not probed; --no-heal probes and restarts nothing", async () => {
  const { engine, plan, clock } = await runningAcme();
  const failing = scriptedProbe(() => ({ ok: false, error: "ECONNREFUSED" }));
  const soon = await startServices(engine, plan, plan.services, secrets, options(clock, { probe: failing, now: () => Date.now() + 1000 }));
  assert.deepEqual(
    soon.map((o) => o.action),
    ["unchanged", "unchanged"],
  );
  for (const c of engine.containers.values()) c.details = { health: "starting" };
  const slow = await startServices(engine, plan, plan.services, secrets, options(clock, { probe: failing, now: () => Date.now() + 600_000 }));
  assert.deepEqual(
    slow.map((o) => o.action),
    ["unchanged", "unchanged"],
  );
  assert.deepEqual(failing.calls, []);
  engine.byName("mcp-beta-acme")!.details = { health: "unhealthy" };
  const noHeal = await startServices(
    engine,
    plan,
    plan.services,
    secrets,
    options(clock, { probe: failing, heal: false, now: () => Date.now() + 600_000 }),
  );
  assert.deepEqual(
    noHeal.map((o) => o.action),
    ["unchanged", "unchanged"],
  );
  assert.deepEqual(failing.calls, []);
  assert.deepEqual(engine.calls, []);
});

test("a crash-looping container is failed with exit code, restart count and its last 20 log lines, secrets masked", async () => {
  const { engine, plan, clock, container } = await runningAcme();
  container.details = { state: "restarting", exitCode: 3, restartCount: 8 };
  engine.logLines.set(container.id, [...Array.from({ length: 30 }, (_, i) => `line ${i + 1}`), "auth failed for token sekret-value"]);
  const out = await startServices(engine, plan, plan.services, secrets, options(clock));
  const alpha = out[0]!;
  assert.equal(alpha.action, "failed");
  const lines = alpha.reason!.split("\n");
  assert.equal(lines[0], "keeps restarting: exited with code 3, restarted 8 times; last 20 log lines:");
  assert.equal(lines.length, 21);
  assert.equal(lines[1], "  line 12");
  assert.equal(lines[20], "  auth failed for token ***");
  assert.ok(!alpha.reason!.includes("sekret-value"));
});

test("--wait returns as soon as a container crash-loops, long before the time limit", async () => {
  const engine = engineWithImages();
  const plan = await planOf({ customers: [fixtureCustomer("Acme")] });
  const clock = new FakeClock();
  const alphaUrl = plan.services.find((s) => s.type === "alpha")!.url;
  let crashedAt: number | undefined;
  const probe = scriptedProbe((url) => {
    if (url !== alphaUrl) return { ok: true };
    const alpha = engine.byName("mcp-alpha-acme")!;
    // The server exits at once; Docker restarts it, which resets the exit code while it runs again...
    if (crashedAt === undefined) {
      crashedAt = clock.t;
      alpha.details = { restartCount: 1, exitCode: 0 };
      engine.logLines.set(alpha.id, ["fatal: upstream unreachable"]);
    }
    return { ok: false, error: "connect ECONNREFUSED" };
  });
  const inspect = engine.inspect.bind(engine);
  engine.inspect = async (id) => {
    const alpha = engine.byName("mcp-alpha-acme")!;
    // ...and 200 ms later it is down again, between two runs, with its real exit code.
    if (crashedAt !== undefined && clock.t >= crashedAt + 200) alpha.details = { state: "restarting", restartCount: 2, exitCode: 3 };
    return inspect(id);
  };
  const out = await startServices(engine, plan, plan.services, secrets, options(clock, { probe, waitMs: 120_000 }));
  assert.deepEqual(
    out.map((o) => o.action),
    ["failed", "created"],
  );
  assert.equal(out[0]!.reason, "keeps restarting: exited with code 3, restarted 2 times; last 1 log line:\n  fatal: upstream unreachable");
  assert.ok(clock.t < 5_000, `returned after ${clock.t} ms of a 120 s limit`);
});

test("--wait names what it saw when the time runs out, and passes when the server answers", async () => {
  const engine = engineWithImages();
  const plan = await planOf({ customers: [fixtureCustomer("Acme")] });
  const clock = new FakeClock();
  const alphaUrl = plan.services.find((s) => s.type === "alpha")!.url;
  const probe = scriptedProbe((url) => (url === alphaUrl ? { ok: false, error: "initialize answered HTTP 503" } : { ok: true }));
  const out = await startServices(engine, plan, plan.services, secrets, options(clock, { probe, waitMs: 10_000 }));
  assert.deepEqual(
    out.map((o) => [o.action, o.reason]),
    [
      ["failed", `no MCP answer at ${alphaUrl} within 10 s: initialize answered HTTP 503`],
      ["created", undefined],
    ],
  );
  assert.ok(clock.t >= 10_000 && clock.t < 14_000);
});

test("a container caught running between two crashes is watched briefly and failed as a crash loop, not unchanged", async () => {
  const { engine, plan, clock, container } = await runningAcme();
  container.details = { restartCount: 2, exitCode: 0 };
  const inspect = engine.inspect.bind(engine);
  const lookedAt = clock.t;
  engine.inspect = async (id) => {
    if (id === container.id && clock.t >= lookedAt + 300) container.details = { state: "restarting", restartCount: 3, exitCode: 3 };
    return inspect(id);
  };
  const out = await startServices(engine, plan, plan.services, secrets, options(clock));
  assert.equal(out[0]!.action, "failed");
  assert.equal(out[0]!.reason, "keeps restarting: exited with code 3, restarted 3 times; no log output");
  assert.equal(out[1]!.action, "unchanged", "never restarted: not watched");
});

test("a container that restarted once long ago and serves is left alone", async () => {
  const { engine, plan, clock, container } = await runningAcme();
  container.details = { restartCount: 1, startedAt: new Date(Date.now() - 3_600_000).toISOString() };
  const out = await startServices(engine, plan, plan.services, secrets, options(clock));
  assert.deepEqual(
    out.map((o) => o.action),
    ["unchanged", "unchanged"],
  );
});
