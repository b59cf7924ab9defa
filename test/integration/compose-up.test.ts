/**
 * The generated file really works: the three types build from mcps/ on a local base image, and
 * `docker-compose --profile vattenfall-de up -d` brings all three to healthy through their own
 * health checks (a real MCP initialize inside each container). Upstreams point at 127.0.0.1:1.
 */
import assert from "node:assert/strict";
import { readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { ROOT, runCli } from "../support/cli.js";
import { compose, ensureBaseImage, healthOf, requireEngine, waitHealthy } from "../support/docker.js";
import { REAL_CATALOG, workspace } from "../support/workspace.js";

const DUMMY_CREDENTIALS = {
  GRAFANA_TOKEN_VATTENFALL: "dummy-token",
  GRAFANA_TOKEN_SEGURCAIXA: "dummy-token",
  GENESYS_CLIENT_ID_VATTENFALL: "dummy-id",
  GENESYS_CLIENT_SECRET_VATTENFALL: "dummy-secret",
};

test("compose: the example's vattenfall-de profile builds, starts healthy, and stops in seconds", { timeout: 900_000 }, async (t) => {
  if (!requireEngine(t)) return;
  const base = ensureBaseImage();
  // The example as shipped, with every upstream pointed at a closed local port.
  const example = readFileSync(path.join(ROOT, "mcp_servers.json"), "utf8").replace(/https?:\/\/maas-[\w.-]+(:\d+)?/g, "http://127.0.0.1:1");
  const dir = workspace(example, REAL_CATALOG);
  const project = `mcpsit${process.pid}`;
  const env = { ...DUMMY_CREDENTIALS, COMPOSE_PROJECT_NAME: project };
  const containers = ["mcp-grafana-vattenfall-de", "mcp-alertmanager-vattenfall-de", "mcp-genesys-vattenfall-de"];
  try {
    const gen = runCli(["generate"], { cwd: dir });
    assert.equal(gen.code, 0, gen.stderr);
    const config = compose(["-f", "docker-compose.mcps.yml", "config", "-q"], { cwd: dir, env });
    assert.equal(config.code, 0, config.out);

    const build = compose(["-f", "docker-compose.mcps.yml", "--profile", "vattenfall-de", "build", "--build-arg", `BASE_IMAGE=${base}`], { cwd: dir, env });
    assert.equal(build.code, 0, build.out.slice(-3000));
    const up = compose(["-f", "docker-compose.mcps.yml", "--profile", "vattenfall-de", "up", "-d"], { cwd: dir, env });
    assert.equal(up.code, 0, up.out.slice(-3000));
    assert.equal(healthOf("mcp-grafana-segurcaixa"), "absent", "the profile starts one customer only");

    const states = await waitHealthy(containers, 180_000);
    assert.deepEqual(states, Object.fromEntries(containers.map((c) => [c, "healthy"])));

    const started = Date.now();
    const down = compose(["-f", "docker-compose.mcps.yml", "--profile", "vattenfall-de", "down"], { cwd: dir, env });
    assert.equal(down.code, 0, down.out);
    t.diagnostic(`docker-compose down took ${((Date.now() - started) / 1000).toFixed(1)} s`);
    for (const c of containers) assert.equal(healthOf(c), "absent");
  } finally {
    compose(["-f", "docker-compose.mcps.yml", "--profile", "vattenfall-de", "down", "--remove-orphans"], { cwd: dir, env });
    rmSync(dir, { recursive: true, force: true });
  }
});
