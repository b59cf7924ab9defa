/**
 * status on the real engine: a freshly started light server (the alertmanager MCP image, built on the
 * local base image under our own tag) turns healthy in Docker within seconds, not after a 30 s interval,
 * because Docker's check and our probe are one; status --json carries the ops fields; a killed container
 * makes status exit 1 and say its exit code.
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { ROOT, runCliProcess } from "../support/cli.js";
import { docker, ensureBaseImage, healthOf, requireEngine } from "../support/docker.js";
import { workspace } from "../support/workspace.js";

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;

test("status: healthy in Docker within seconds of answering, JSON fields, exit 1 once killed", { timeout: 300_000 }, async (t) => {
  if (!requireEngine(t)) return;
  const base = ensureBaseImage();
  const id = randomBytes(4).toString("hex");
  const project = `mcps-it-${id}`;
  const image = `mcps-it-${id}/light:local`;
  const customer = `st${id}`;
  const dir = workspace({
    project,
    customers: [{ id: customer, name: `Status ${id}`, mcp_servers: [{ type: "light", config: { url: "http://127.0.0.1:1" } }] }],
  });
  rmSync(path.join(dir, "mcps"), { recursive: true, force: true });
  mkdirSync(path.join(dir, "mcps", "light"), { recursive: true });
  // The health check block is left to the defaults: what every type gets unless it says otherwise.
  writeFileSync(
    path.join(dir, "mcps", "light", "mcp.yaml"),
    [
      `description: light test type`,
      `image: ${image}`,
      `port: 8000`,
      `transport: streamable-http`,
      `path: /mcp`,
      `config: { url: { required: true, env: ALERTMANAGER_URL } }`,
      `resources: { cpus: 0.5, memory: 128m, pids: 64 }`,
    ].join("\n"),
  );
  const run = (args: string[]) => runCliProcess(args, { cwd: dir });
  const name = `${project}-mcp-light-${customer}`;
  try {
    docker(["build", "-q", "--build-arg", `BASE_IMAGE=${base}`, "-t", image, path.join(ROOT, "mcps/alertmanager")]);
    const started = run(["start", "--all", "--wait", "--timeout", "60"]);
    assert.equal(started.code, 0, started.stderr);

    // start --wait returned once our probe got an answer; Docker's own check must agree within seconds.
    const answeredMs = Date.now();
    let health = healthOf(name);
    while (health !== "healthy" && Date.now() - answeredMs < 15_000) {
      await new Promise((r) => setTimeout(r, 250));
      health = healthOf(name);
    }
    assert.equal(health, "healthy", `Docker health ${Date.now() - answeredMs} ms after the server answered`);

    const r = run(["status", "--json"]);
    assert.equal(r.code, 0, r.stderr);
    const doc = JSON.parse(r.stdout);
    const s = doc.services[0];
    assert.equal(doc.ok, true);
    assert.equal(s.verdict, "ok");
    assert.equal(s.state, "running");
    assert.equal(s.health, "healthy");
    assert.match(s.started_at, ISO);
    assert.match(s.created_at, ISO);
    assert.equal(s.finished_at, null);
    assert.equal(s.exit_code, 0);
    assert.equal(s.restart_count, 0);
    assert.equal(s.health_failing_streak, 0);
    assert.equal(typeof s.last_health_output, "string");
    assert.equal(s.mcp.ok, true);
    assert.equal(typeof s.mcp.protocol_version, "string");
    assert.ok(Array.isArray(s.tools) && s.tools.length > 0 && s.tools.every((n: unknown) => typeof n === "string"), "tools by name");
    assert.deepEqual(s.stale_reasons, []);
    const table = run(["status"]);
    assert.equal(table.code, 0);
    for (const line of table.stdout.trimEnd().split("\n")) assert.ok(line.length <= 80, line);

    // Killed by hand (Docker restarts crashes under unless-stopped): stopped, which fails status only
    // when its customer is asked for.
    docker(["kill", name]);
    assert.equal(run(["status", "--json", "--no-probe"]).code, 0);
    const dead = run(["status", customer, "--json", "--no-probe"]);
    assert.equal(dead.code, 1);
    const d = JSON.parse(dead.stdout).services[0];
    assert.equal(d.state, "exited");
    assert.equal(d.verdict, "stopped");
    assert.equal(d.health, "none");
    assert.equal(d.exit_code, 137);
    assert.match(d.finished_at, ISO);
    assert.match(d.note, /^stopped/);
  } finally {
    run(["down"]);
    docker(["rmi", "-f", image], { timeoutMs: 60_000 });
    rmSync(dir, { recursive: true, force: true });
  }
});
