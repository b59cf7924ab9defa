/**
 * The generated file really works: the three types build from mcps/ on the faithful base image
 * (Debian bookworm minbase, like node:20-bookworm-slim), and `docker-compose --profile
 * vattenfall-de up -d` brings all three to healthy through their own health checks (a real MCP
 * initialize inside each container). Upstreams point at 127.0.0.1:1. The config names a project
 * of its own, so the images (mcps/<project>/<type>:<digest>), containers and networks are this
 * test's alone and are removed at the end; the user's mcps/<type> images are never touched.
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { ROOT, runCliProcess } from "../support/cli.js";
import { compose, docker, ensureBaseImage, healthOf, requireEngine, waitHealthy } from "../support/docker.js";
import { withFreePorts } from "../support/ports.js";
import { REAL_CATALOG, workspace } from "../support/workspace.js";

const DUMMY_CREDENTIALS = {
  GRAFANA_TOKEN_VATTENFALL: "dummy-token",
  GRAFANA_TOKEN_SEGURCAIXA: "dummy-token",
  GENESYS_CLIENT_ID_VATTENFALL: "dummy-id",
  GENESYS_CLIENT_SECRET_VATTENFALL: "dummy-secret",
};

test("compose: the example's vattenfall-de profile builds, starts healthy, and stops in seconds", {
  timeout: 900_000,
}, async (t) => {
  if (!requireEngine(t)) return;
  const base = ensureBaseImage();
  // The example as shipped, in a project of its own, on free host ports (the engine is shared), with
  // every upstream pointed at a closed local port.
  const project = `mcps-it-${randomBytes(4).toString("hex")}`;
  const example = JSON.parse(
    readFileSync(path.join(ROOT, "mcp_servers.json"), "utf8").replace(/https?:\/\/maas-[\w.-]+(:\d+)?/g, "http://127.0.0.1:1"),
  );
  const dir = workspace(await withFreePorts({ ...example, project }), REAL_CATALOG);
  const env = { ...DUMMY_CREDENTIALS, COMPOSE_PROJECT_NAME: project };
  const containers = ["grafana", "alertmanager", "genesys"].map((type) => `${project}-mcp-${type}-vattenfall-de`);
  let images: string[] = [];
  try {
    const gen = runCliProcess(["generate"], { cwd: dir });
    assert.equal(gen.code, 0, gen.stderr);
    // Every image the file names must be this project's own tag, or the test would re-tag the user's.
    images = [...new Set([...readFileSync(path.join(dir, "docker-compose.mcps.yml"), "utf8").matchAll(/^\s+image: "([^"]+)"/gm)].map((m) => m[1]!))];
    assert.ok(images.length >= 3, `expected the three types' images, got ${images.join(", ")}`);
    for (const image of images) assert.ok(image.startsWith(`mcps/${project}/`), `${image} is not a per-project tag`);
    const config = compose(["-f", "docker-compose.mcps.yml", "config", "-q"], { cwd: dir, env });
    assert.equal(config.code, 0, config.out);

    const build = compose(["-f", "docker-compose.mcps.yml", "--profile", "vattenfall-de", "build", "--build-arg", `BASE_IMAGE=${base}`], {
      cwd: dir,
      env,
    });
    assert.equal(build.code, 0, build.out.slice(-3000));
    const up = compose(["-f", "docker-compose.mcps.yml", "--profile", "vattenfall-de", "up", "-d"], { cwd: dir, env });
    assert.equal(up.code, 0, up.out.slice(-3000));
    assert.equal(healthOf(`${project}-mcp-grafana-segurcaixa`), "absent", "the profile starts one customer only");

    const states = await waitHealthy(containers, 180_000);
    assert.deepEqual(states, Object.fromEntries(containers.map((c) => [c, "healthy"])));

    const started = Date.now();
    const down = compose(["-f", "docker-compose.mcps.yml", "--profile", "vattenfall-de", "down"], { cwd: dir, env });
    assert.equal(down.code, 0, down.out);
    t.diagnostic(`docker-compose down took ${((Date.now() - started) / 1000).toFixed(1)} s`);
    for (const c of containers) assert.equal(healthOf(c), "absent");
  } finally {
    compose(["-f", "docker-compose.mcps.yml", "--profile", "vattenfall-de", "down", "--remove-orphans"], {
      cwd: dir,
      env,
    });
    for (const image of images) {
      try {
        docker(["image", "rm", image]);
      } catch {
        // never built (an earlier step failed): nothing to remove
      }
    }
    rmSync(dir, { recursive: true, force: true });
  }
});
