/**
 * `mcps down` on the real engine: two projects with the same customers side by side, a foreign
 * container on one project's network, a server that ignores SIGTERM. Only the test base image is
 * used (no build); every name carries a random mcps-it-<hex> project; cleanup in finally.
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { runCliProcess } from "../support/cli.js";
import { docker, ensureBaseImage, requireEngine } from "../support/docker.js";
import { freePort } from "../support/ports.js";

/** A type that runs the base image and ignores SIGTERM, so only the grace period ends it. */
const idleType = (image: string) => `description: idle server for down tests
image: ${image}
port: 8000
transport: streamable-http
path: /mcp
command: ["node", "-e", "process.on('SIGTERM', () => {}); setInterval(() => {}, 1 << 30)"]
config: {}
resources: { cpus: 0.25, memory: 64m, pids: 32 }
healthcheck: { interval: 30s, timeout: 5s, retries: 3, start_period: 30s }
`;

/** A folder with one project's config: customers acme and bolt, one idle server each, pinned ports. */
async function projectDir(project: string, image: string): Promise<string> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "mcps-down-it-"));
  mkdirSync(path.join(dir, "mcps/idle"), { recursive: true });
  writeFileSync(path.join(dir, "mcps/idle/mcp.yaml"), idleType(image));
  const customer = async (id: string) => ({ id, name: `${id} ${project}`, mcp_servers: [{ type: "idle", config: {}, port: await freePort() }] });
  writeFileSync(
    path.join(dir, "mcp_servers.json"),
    JSON.stringify({ project, customers: [await customer("acme"), await customer("bolt")] }, null, 2),
  );
  return dir;
}

const containersOf = (project: string) =>
  docker(["ps", "-a", "--filter", `label=mcps.project=${project}`, "--format", "{{.Names}}"])
    .trim()
    .split("\n")
    .filter(Boolean)
    .sort();
const networksOf = (project: string) =>
  docker(["network", "ls", "--filter", `label=mcps.project=${project}`, "--format", "{{.Name}}"])
    .trim()
    .split("\n")
    .filter(Boolean)
    .sort();

test("down: one project of two, a foreign container on its network, the grace period, one customer", { timeout: 300_000 }, async (t) => {
  if (!requireEngine(t)) return;
  const image = ensureBaseImage();
  const suffix = randomBytes(4).toString("hex");
  const [p1, p2] = [`mcps-it-${suffix}-a`, `mcps-it-${suffix}-b`];
  const foreign = `mcps-it-${suffix}-foreign`;
  const dirs = [await projectDir(p1, image), await projectDir(p2, image)];
  const empty = mkdtempSync(path.join(os.tmpdir(), "mcps-down-noconfig-"));
  try {
    for (const dir of dirs) {
      const up = runCliProcess(["start", "--all"], { cwd: dir, timeoutMs: 120_000 });
      assert.equal(up.code, 0, up.stderr + up.stdout);
    }
    assert.equal(containersOf(p1).length, 2);
    assert.equal(containersOf(p2).length, 2);
    assert.deepEqual(networksOf(p1), [`${p1}-acme`, `${p1}-bolt`]);
    docker(["run", "-d", "--name", foreign, "--network", `${p1}-acme`, image, "sleep", "300"]);

    // From a folder with no config at all, by project name; the server ignores SIGTERM, so --timeout 2 is what ends it.
    const started = Date.now();
    const down = runCliProcess(["down", "--project", p1, "--timeout", "2", "--json"], { cwd: empty, timeoutMs: 120_000 });
    const tookMs = Date.now() - started;
    assert.equal(down.code, 0, down.stderr);
    const r = JSON.parse(down.stdout) as {
      containers: Array<{ action: string }>;
      networks: Array<{ name: string; action: string }>;
      warnings: string[];
    };
    assert.deepEqual(
      r.containers.map((c) => c.action),
      ["removed", "removed"],
    );
    assert.deepEqual(
      r.networks.map((n) => [n.name, n.action]),
      [
        [`${p1}-acme`, "kept"],
        [`${p1}-bolt`, "removed"],
      ],
    );
    assert.match(down.stderr, new RegExp(`warning: network ${p1}-acme kept`));
    assert.ok(tookMs >= 2000 && tookMs < 9000, `the 2 s grace period, then a kill (took ${tookMs} ms)`);
    assert.deepEqual(containersOf(p1), []);
    assert.deepEqual(networksOf(p1), [`${p1}-acme`], "kept while the foreign container is attached");
    assert.equal(docker(["inspect", "-f", "{{.State.Running}}", foreign]).trim(), "true", "the foreign container is untouched");
    assert.equal(containersOf(p2).length, 2, "the other project is untouched");
    assert.deepEqual(networksOf(p2), [`${p2}-acme`, `${p2}-bolt`]);

    // One customer, from its config: only acme's container and network go.
    const one = runCliProcess(["down", "acme", "--timeout", "1"], { cwd: dirs[1]!, timeoutMs: 120_000 });
    assert.equal(one.code, 0, one.stderr);
    assert.deepEqual(containersOf(p2), [`${p2}-mcp-idle-bolt`]);
    assert.deepEqual(networksOf(p2), [`${p2}-bolt`]);

    // No config and no --project: a usage error naming the way out, nothing removed.
    const bare = runCliProcess(["down"], { cwd: empty });
    assert.equal(bare.code, 2);
    assert.match(bare.stderr, /--project NAME/);
    assert.deepEqual(containersOf(p2), [`${p2}-mcp-idle-bolt`]);
  } finally {
    try {
      docker(["rm", "-f", foreign], { timeoutMs: 60_000 });
    } catch {
      // never started: nothing to remove
    }
    for (const p of [p1, p2]) runCliProcess(["down", "--project", p, "--timeout", "0"], { cwd: empty, timeoutMs: 120_000 });
    for (const dir of [...dirs, empty]) rmSync(dir, { recursive: true, force: true });
  }
});
