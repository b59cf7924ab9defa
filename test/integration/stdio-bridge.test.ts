/**
 * mcps's stdio bridge (mcps/_bridge) on the real engine. A test-only type runs the reference
 * server-everything over stdio through the very bridge the shipped stdio types use (copied into a
 * temporary catalog next to the type, whose build context is that catalog), built by `mcps start`.
 * Twenty concurrent sessions on both protocol revisions share ONE child process; killing it makes
 * requests fail cleanly until the bridge has restarted it, and then a single new child answers.
 * Then the shipped grafana and genesys types list their tools through the bridge on both revisions.
 * Each test has a project of its own (containers, networks, images), removed in finally.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { LATEST_PROTOCOL_VERSION } from "@modelcontextprotocol/sdk/types.js";
import { bridgeAndChildren, bridgeWorkspace, killInside, removeProject } from "../support/bridge-container.js";
import { runCliProcess } from "../support/cli.js";
import { docker, ensureBaseImage, requireEngine } from "../support/docker.js";
import { bareToolsList, legacySession, modernSession, openModern, type SessionResult } from "../support/mcp-sessions.js";
import { freePort } from "../support/ports.js";
import { REAL_CATALOG, workspace } from "../support/workspace.js";

const MODERN = "2026-07-28";
const EVERYTHING = "/app/node_modules/@modelcontextprotocol/server-everything/dist/index.js";
const SESSIONS = 20;

function assertSession(r: SessionResult, message: string): void {
  assert.equal(r.protocolVersion, r.revision === "modern" ? MODERN : LATEST_PROTOCOL_VERSION, `${r.revision} session's version`);
  assert.ok(r.tools.includes("echo"), `${r.revision} session lists echo: ${r.tools.join(", ")}`);
  assert.equal(r.echo, `Echo: ${message}`);
}

/** Twenty sessions at once, alternating revisions, each with its own echo message. */
async function concurrentSessions(url: string, count: number): Promise<void> {
  const messages = Array.from({ length: count }, (_, i) => `hello-${i}-${randomBytes(2).toString("hex")}`);
  const results = await Promise.all(messages.map((m, i) => (i % 2 ? legacySession(url, m) : modernSession(url, m))));
  for (const [i, r] of results.entries()) assertSession(r, messages[i]!);
}

function start(dir: string, customer: string, base: string): void {
  const r = runCliProcess(["start", customer, "--wait", "--timeout", "180", "--build-arg", `BASE_IMAGE=${base}`], { cwd: dir, timeoutMs: 600_000 });
  assert.equal(r.code, 0, r.stdout + r.stderr);
}

test("stdio bridge: one child serves 20 concurrent sessions on both revisions and comes back after it is killed", {
  timeout: 600_000,
}, async (t) => {
  if (!requireEngine(t)) return;
  const base = ensureBaseImage();
  const tag = randomBytes(3).toString("hex");
  const project = `mcps-it-${tag}`;
  const id = `br${tag}`;
  const port = await freePort();
  const dir = bridgeWorkspace({ project, customers: [{ id, name: `Bridge ${tag}`, mcp_servers: [{ type: "everything", port }] }] });
  const container = `${project}-mcp-everything-${id}`;
  const url = `http://127.0.0.1:${port}/mcp`;
  try {
    start(dir, id, base);
    await concurrentSessions(url, SESSIONS);
    const before = bridgeAndChildren(container, `node ${EVERYTHING} stdio`);
    assert.equal(before.bridge.length, 1, JSON.stringify(before));
    assert.equal(before.children.length, 1, `one child for ${SESSIONS} sessions: ${JSON.stringify(before)}`);

    // Progress reaches the caller with its own token, and an in-flight call fails when the child dies.
    const client = await openModern(url);
    const progress: number[] = [];
    let firstProgress!: () => void;
    const progressed = new Promise<void>((resolve) => (firstProgress = resolve));
    const inflight = client.callTool(
      { name: "trigger-long-running-operation", arguments: { duration: 30, steps: 30 } },
      {
        onprogress: (p) => {
          progress.push(p.progress);
          firstProgress();
        },
      },
    );
    inflight.catch(() => {}); // awaited below; not unhandled meanwhile
    await progressed;
    const killed = killInside(container, EVERYTHING);
    assert.equal(killed.length, 1, `killed ${JSON.stringify(killed)}`);
    await assert.rejects(inflight, "the call in flight fails when its child dies");
    assert.ok(progress.length >= 1);
    await client.close();

    // Meanwhile every answer is a clean refusal or an answer, and after the backoff a new child answers.
    const seen: string[] = [];
    const deadline = Date.now() + 30_000;
    while (seen.at(-1) !== "ok" && Date.now() < deadline) {
      seen.push(await bareToolsList(url));
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal(seen.at(-1), "ok", `answers after the kill: ${seen.join(" ")}`);
    assert.ok(seen.includes("503"), `503 while the child restarts: ${seen.join(" ")}`);
    assert.deepEqual(
      [...new Set(seen)].filter((s) => !["503", "rpc-error", "ok"].includes(s)),
      [],
      seen.join(" "),
    );

    await concurrentSessions(url, 6);
    const after = bridgeAndChildren(container, `node ${EVERYTHING} stdio`);
    assert.deepEqual(
      after.bridge.map((p) => p.pid),
      before.bridge.map((p) => p.pid),
      "the same bridge: the container did not restart",
    );
    assert.equal(after.children.length, 1, JSON.stringify(after));
    assert.notEqual(after.children[0]!.pid, before.children[0]!.pid, "a new child");
    assert.equal(docker(["inspect", "-f", "{{.RestartCount}}", container]).trim(), "0");
    // The bridge logs to stderr, one line per event.
    const logs = spawnSync("docker", ["logs", container], { encoding: "utf8" }).stderr;
    assert.match(logs, /mcps-bridge: child exited \(signal SIGKILL\) after [\d.]+ s; restarting in 0\.5 s\n/);
    assert.equal(logs.match(/mcps-bridge: child started /g)?.length, 2, logs);
    assert.doesNotMatch(logs, /\n\s+at /, "no stack trace in the logs");
    t.diagnostic(`answers after the kill: ${seen.join(" ")}`);
  } finally {
    removeProject(project);
    rmSync(dir, { recursive: true, force: true });
  }
});

test("stdio bridge: grafana and genesys list their tools on both revisions, one child each", { timeout: 900_000 }, async (t) => {
  if (!requireEngine(t)) return;
  const base = ensureBaseImage();
  const tag = randomBytes(3).toString("hex");
  const project = `mcps-it-${tag}`;
  const id = `bs${tag}`;
  const ports = { grafana: await freePort(), genesys: await freePort() };
  const config = {
    project,
    customers: [
      {
        id,
        name: `Bridge shipped ${tag}`,
        mcp_servers: [
          { type: "grafana", port: ports.grafana, config: { grafana_url: "http://127.0.0.1:1", token_env: "IT_GRAFANA_TOKEN" } },
          {
            type: "genesys",
            port: ports.genesys,
            config: { region: "mypurecloud.de", oauth_client_id_env: "IT_GC_ID", oauth_client_secret_env: "IT_GC_SECRET" },
          },
        ],
      },
    ],
  };
  const dir = workspace(config, REAL_CATALOG);
  writeFileSync(path.join(dir, "mcp_credentials.env"), "IT_GRAFANA_TOKEN=dummy-token\nIT_GC_ID=dummy-id\nIT_GC_SECRET=dummy-secret\n");
  const children = {
    grafana: "node --require /app/stdout-guard.cjs /app/node_modules/@leval/mcp-grafana/dist/cli.js",
    genesys: "node /app/node_modules/@makingchatbots/genesys-cloud-mcp-server/dist/cli.js",
  };
  try {
    start(dir, id, base);
    for (const type of ["grafana", "genesys"] as const) {
      const url = `http://127.0.0.1:${ports[type]}/mcp`;
      const [modern, legacy] = await Promise.all([modernSession(url), legacySession(url)]);
      assert.equal(modern.protocolVersion, MODERN, type);
      assert.equal(legacy.protocolVersion, LATEST_PROTOCOL_VERSION, type);
      assert.ok(modern.tools.length > 0, `${type} lists tools`);
      assert.deepEqual(legacy.tools, modern.tools, `${type}: the same tools on both revisions`);
      const { bridge, children: found } = bridgeAndChildren(`${project}-mcp-${type}-${id}`, children[type]);
      assert.equal(bridge.length, 1, type);
      assert.equal(found.length, 1, `${type}: one child`);
      t.diagnostic(`${type}: ${modern.tools.length} tools on both revisions`);
    }
  } finally {
    removeProject(project);
    rmSync(dir, { recursive: true, force: true });
  }
});
