/**
 * mcps start/status/stop/down on the real engine with the real MCP images from mcps/ (built on a
 * local base image). Upstreams point at 127.0.0.1:1; traffic goes only to 127.0.0.1 ports.
 */
import assert from "node:assert/strict";
import { rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { runCliProcess, runCliProcessAsync } from "../support/cli.js";
import { docker, ensureBaseImage, requireEngine } from "../support/docker.js";
import { REAL_CATALOG, workspace } from "../support/workspace.js";

const tag = String(process.pid);
const A = `ita${tag}`;
const B = `itb${tag}`;
const project = `mcpsit${tag}`;

function config(alertmanagerUrl = "http://127.0.0.1:1") {
  return {
    project,
    customers: [
      {
        id: A,
        name: `IT Acme ${tag}`,
        mcp_servers: [
          { type: "grafana", config: { grafana_url: "http://127.0.0.1:1", token_env: "IT_GRAFANA_TOKEN" } },
          { type: "alertmanager", config: { alertmanager_url: alertmanagerUrl } },
        ],
      },
      {
        id: B,
        name: `IT Bolt ${tag}`,
        mcp_servers: [
          { type: "alertmanager", config: { alertmanager_url: "http://127.0.0.1:1" } },
          { type: "genesys", config: { region: "mypurecloud.de", oauth_client_id_env: "IT_GC_ID", oauth_client_secret_env: "IT_GC_SECRET" } },
        ],
      },
    ],
  };
}

type Status = {
  services: Array<{
    service: string;
    state: string;
    health: string;
    ok: boolean;
    stale: boolean;
    tools: string[] | null;
    mcp: { ok: boolean; server_name: string | null } | null;
  }>;
};

async function pollStatus(dir: string, done: (s: Status) => boolean, timeoutMs: number): Promise<Status> {
  const deadline = Date.now() + timeoutMs;
  let last: Status = { services: [] };
  while (Date.now() < deadline) {
    const r = runCliProcess(["status", "--json"], { cwd: dir });
    last = JSON.parse(r.stdout);
    if (done(last)) return last;
    await new Promise((res) => setTimeout(res, 2000));
  }
  return last;
}

test("orchestrator: start two customers, status, heal, recreate one, concurrent starts, stop, down", { timeout: 900_000 }, async (t) => {
  if (!requireEngine(t)) return;
  const base = ensureBaseImage();
  const dir = workspace(config(), REAL_CATALOG);
  // Credentials from the optional file beside the config; the secret never shows in output.
  writeFileSync(path.join(dir, "mcp_credentials.env"), "IT_GRAFANA_TOKEN=it-secret-token-value\nIT_GC_ID=id\nIT_GC_SECRET='it-secret-gc'\n");
  // Builds through the API on a shared, busy engine can take minutes: the CLI's own timeouts bound each run.
  const run = (args: string[]) => runCliProcess(args, { cwd: dir, timeoutMs: 600_000 });
  try {
    const started = run(["start", A, `IT Bolt ${tag}`, "--wait", "--timeout", "180", "--build-arg", `BASE_IMAGE=${base}`, "--json"]);
    assert.equal(started.code, 0, started.stderr);
    const result = JSON.parse(started.stdout);
    assert.deepEqual(result.customers, [
      { customer: A, connected_mcps: ["alertmanager", "grafana"], failed_mcps: [] },
      { customer: B, connected_mcps: ["alertmanager", "genesys"], failed_mcps: [] },
    ]);
    assert.ok(!started.stdout.includes("it-secret") && !started.stderr.includes("it-secret"), "no secret in output");

    // Docker's own health checks (an MCP initialize inside each container) turn healthy, and our probe counts tools.
    const healthy = await pollStatus(dir, (s) => s.services.every((x) => x.health === "healthy" && x.ok), 180_000);
    assert.deepEqual(
      healthy.services.map((s) => [s.service, s.state, s.health, s.ok]),
      // By customer, then type.
      [
        [`mcp-alertmanager-${A}`, "running", "healthy", true],
        [`mcp-grafana-${A}`, "running", "healthy", true],
        [`mcp-alertmanager-${B}`, "running", "healthy", true],
        [`mcp-genesys-${B}`, "running", "healthy", true],
      ],
    );
    for (const s of healthy.services) assert.ok((s.tools?.length ?? 0) > 0, `${s.service} lists tools`);
    assert.equal(run(["status"]).code, 0);

    // Idempotent: a second start changes nothing.
    const again = JSON.parse(run(["start", "--all", "--json"]).stdout);
    assert.deepEqual(
      again.services.map((s: { action: string }) => s.action),
      ["unchanged", "unchanged", "unchanged", "unchanged"],
    );

    // Kill one by hand: under unless-stopped Docker restarts every crash, so an exited container was
    // stopped on purpose. The whole fleet's status says `stopped` and passes; asked for by name, its
    // customer fails (exit 1). Start brings it back.
    docker(["kill", `${project}-mcp-grafana-${A}`]);
    const fleetView = run(["status", "--json"]);
    assert.equal(fleetView.code, 0, fleetView.stdout);
    const killed = JSON.parse(fleetView.stdout).services.find((s: { service: string }) => s.service === `mcp-grafana-${A}`);
    assert.deepEqual([killed.state, killed.verdict, killed.health], ["exited", "stopped", "none"]);
    const broken = run(["status", A, "--json"]);
    assert.equal(broken.code, 1);
    assert.equal(JSON.parse(broken.stdout).services.find((s: { service: string }) => s.service === `mcp-grafana-${A}`).state, "exited");
    const healed = JSON.parse(run(["start", A, "--wait", "--json"]).stdout);
    assert.deepEqual(
      healed.services.map((s: { service: string; action: string }) => [s.service, s.action]),
      [
        [`mcp-alertmanager-${A}`, "unchanged"],
        [`mcp-grafana-${A}`, "started"],
      ],
    );

    // Change one server's config: only that container is recreated, and status first shows it stale.
    writeFileSync(path.join(dir, "mcp_servers.json"), JSON.stringify(config("http://127.0.0.1:2")));
    const stale = JSON.parse(run(["status", "--json", "--no-probe"]).stdout);
    assert.deepEqual(
      stale.services.filter((s: { stale: boolean }) => s.stale).map((s: { service: string }) => s.service),
      [`mcp-alertmanager-${A}`],
    );
    const changed = JSON.parse(run(["start", "--all", "--wait", "--json"]).stdout);
    assert.deepEqual(Object.fromEntries(changed.services.map((s: { service: string; action: string }) => [s.service, s.action])), {
      [`mcp-alertmanager-${A}`]: "recreated",
      [`mcp-alertmanager-${B}`]: "unchanged",
      [`mcp-genesys-${B}`]: "unchanged",
      [`mcp-grafana-${A}`]: "unchanged",
    });

    // Down, then two starts at once: no duplicate containers or networks.
    assert.equal(run(["down"]).code, 0);
    const [r1, r2] = await Promise.all([
      runCliProcessAsync(["start", B, "--json"], { cwd: dir }),
      runCliProcessAsync(["start", B, "--json"], { cwd: dir }),
    ]);
    assert.equal(r1.code, 0, r1.stderr);
    assert.equal(r2.code, 0, r2.stderr);
    const names = docker(["ps", "-a", "--filter", `label=mcps.project=${project}`, "--format", "{{.Names}}"])
      .trim()
      .split("\n")
      .sort();
    assert.deepEqual(names, [`${project}-mcp-alertmanager-${B}`, `${project}-mcp-genesys-${B}`]);
    const nets = docker(["network", "ls", "--filter", `label=mcps.project=${project}`, "--format", "{{.Name}}"])
      .trim()
      .split("\n");
    assert.deepEqual(nets, [`${project}-${B}`]);
    assert.equal(run(["start", B, "--wait"]).code, 0, "converges after the race");

    // Stop, then down leaves nothing of the project behind.
    const stopped = JSON.parse(run(["stop", "--all", "--json"]).stdout);
    assert.ok(stopped.services.every((s: { action: string }) => s.action === "stopped"));
    assert.equal(run(["down"]).code, 0);
    assert.equal(docker(["ps", "-a", "-q", "--filter", `label=mcps.project=${project}`]).trim(), "");
    assert.equal(docker(["network", "ls", "-q", "--filter", `label=mcps.project=${project}`]).trim(), "");
  } finally {
    runCliProcess(["down"], { cwd: dir });
    rmSync(dir, { recursive: true, force: true });
    // Our project's image tags only; --no-prune keeps the layers, so the next run builds from cache.
    const images = docker(["images", "--format", "{{.Repository}}:{{.Tag}}", "--filter", `reference=mcps/${project}/*`])
      .trim()
      .split("\n")
      .filter(Boolean);
    if (images.length) docker(["rmi", "--no-prune", ...images]);
  }
});
