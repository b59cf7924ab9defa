/** The one verdict (src/orchestrate/verdict.ts): every kind, and which wins when several apply. */
import assert from "node:assert/strict";
import { test } from "node:test";
import type { ContainerDetails } from "../../src/engine/container-engine.js";
import { orphanVerdict, type Seen, verdict } from "../../src/orchestrate/verdict.js";
import { twoCustomers } from "../support/reconcile-kit.js";

const NOW = Date.parse("2026-03-01T12:00:00Z");
const startedAgo = (ms: number) => new Date(NOW - ms).toISOString();

function details(more: Partial<ContainerDetails> = {}): ContainerDetails {
  return {
    id: "c1",
    name: "mcp-alpha-acme",
    labels: {},
    state: "running",
    health: "healthy",
    status: "Up",
    imageId: "sha256:x",
    createdAt: startedAgo(600_000),
    startedAt: startedAgo(600_000),
    exitCode: 0,
    restartCount: 0,
    oomKilled: false,
    healthFailingStreak: 0,
    emptyEnv: [],
    settings: { restart: "unless-stopped" } as ContainerDetails["settings"],
    ...more,
  };
}

const judge = async (container: ContainerDetails | undefined, more: Partial<Seen> = {}) => {
  const s = (await twoCustomers()).services.find((x) => x.name === "mcp-alpha-acme")!;
  return verdict(s, { container, stale: [], misconfigured: [], nowMs: NOW, ...more });
};
const ok = { ok: true, latencyMs: 3 };
const noAnswer = { ok: false, latencyMs: 0, error: "connect ECONNREFUSED" };

test("ok: running, current, answering; without a probe, Docker's healthy or no health check", async () => {
  assert.deepEqual(await judge(details(), { probe: ok }), { kind: "ok", reason: "" });
  assert.equal((await judge(details())).kind, "ok");
  assert.equal((await judge(details({ health: "none" }))).kind, "ok");
});

test("stopped: no container, created and never started, or exited on purpose; a crash is failing", async () => {
  assert.deepEqual(await judge(undefined), { kind: "stopped", reason: "no container (mcps start creates it)" });
  assert.equal((await judge(details({ state: "created" }))).kind, "stopped");
  assert.equal((await judge(details({ state: "created", error: "port is already allocated" }))).kind, "failing");
  assert.equal((await judge(details({ state: "exited", exitCode: 137 }))).kind, "stopped", "unless-stopped restarts crashes: an exit is a stop");
  const noRestart = { restart: "no" } as ContainerDetails["settings"];
  assert.equal((await judge(details({ state: "exited", exitCode: 143, settings: noRestart }))).kind, "stopped");
  assert.deepEqual(await judge(details({ state: "exited", exitCode: 1, settings: noRestart })), { kind: "failing", reason: "exit code 1" });
  assert.deepEqual(await judge(details({ state: "exited", exitCode: 137, oomKilled: true })), {
    kind: "failing",
    reason: "OOM killed; exit code 137",
  });
  assert.deepEqual(await judge(details({ state: "restarting", exitCode: 3, restartCount: 8 })), {
    kind: "failing",
    reason: "exit code 3, 8 restarts",
  });
});

test("misconfigured beats stale, stale beats a failing health check: the most actionable reason first", async () => {
  const unhealthy = details({ health: "unhealthy", healthFailingStreak: 3, lastHealthOutput: "mcp probe: no answer\nsecond line" });
  const both = await judge(unhealthy, { stale: ["config changed"], misconfigured: ["ALPHA_TOKEN"], probe: noAnswer });
  assert.equal(both.kind, "misconfigured");
  assert.match(both.reason, /^misconfigured: set ALPHA_TOKEN_ACME\w*, then mcps start \(blank in the container: ALPHA_TOKEN\)$/);
  assert.deepEqual(await judge(unhealthy, { stale: ["config changed"] }), {
    kind: "stale",
    reason: "stale: config changed (mcps start recreates it)",
  });
  assert.deepEqual(await judge(unhealthy), { kind: "failing", reason: "Docker health check failed 3 times: mcp probe: no answer" });
  assert.equal((await judge(details(), { stale: ["memory 1 bytes, plan 256 MiB"], probe: ok })).kind, "stale", "answering does not make it current");
});

test("starting while Docker's health is starting or inside the start period; past it, no answer is failing", async () => {
  const early = await judge(details({ health: "none", startedAt: startedAgo(1000) }), { probe: noAnswer });
  assert.deepEqual(early, { kind: "starting", reason: "in its start period (probe: connect ECONNREFUSED)" });
  assert.equal((await judge(details({ health: "starting" }), { probe: noAnswer })).kind, "starting", "Docker has not decided yet");
  const late = await judge(details({ health: "none" }), { probe: noAnswer });
  assert.equal(late.kind, "failing");
  assert.match(late.reason, /^no MCP answer at http:\/\/127\.0\.0\.1:\d+\/\S*: connect ECONNREFUSED$/);
  assert.equal((await judge(details({ health: "healthy" }), { probe: noAnswer })).kind, "failing", "the probe outranks Docker's last word");
  assert.deepEqual(await judge(details({ state: "paused" })), { kind: "failing", reason: "paused" });
});

test("an orphan is fine only while it runs healthy, and always says it is an orphan", () => {
  assert.equal(orphanVerdict(details()).kind, "ok");
  assert.match(orphanVerdict(details()).reason, /^orphan: not in the config/);
  const looping = orphanVerdict(details({ state: "restarting", exitCode: 3, restartCount: 2 }));
  assert.deepEqual(looping, { kind: "failing", reason: "orphan: not in the config (mcps down, or add it back); exit code 3, 2 restarts" });
  assert.equal(orphanVerdict(details({ health: "unhealthy" })).kind, "failing");
});
