/**
 * The stack file on a real single-node swarm: two customers with real MCP servers (the drill's
 * `tiny` type, built on the local base), every task healthy, an MCP initialize + tools/list from a
 * helper container on customer A's overlay network, B's servers unreachable from there, then
 * `docker stack rm`. The swarm is left again if this test created it (the engine is shared).
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { cpSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { parse } from "yaml";
import { docker, requireEngine } from "../support/docker.js";
import { drill, parsed } from "../support/drill.js";
import { ensureSwarm, leaveSwarm, MCP_CLIENT_SOURCE, removeStack, swarmState } from "../support/swarm.js";

const lines = (text: string) => text.trim().split("\n").filter(Boolean);

test("swarm: a stack of two customers deploys healthy, answers MCP inside A's network only, and goes", { timeout: 600_000 }, async (t) => {
  if (!requireEngine(t)) return;
  const d = drill();
  const stack = d.project;
  const a = `sa-${d.tag}`;
  const b = `sb-${d.tag}`;
  // C's server exits at once (the drill's crash mode): what status says of a service that never runs.
  const c = `sc-${d.tag}`;
  // A second type for A: the same tiny server under another name, so A has two servers.
  cpSync(path.join(d.dir, "mcps/tiny"), path.join(d.dir, "mcps/echo"), { recursive: true });
  const server = (type: string) => ({ type, config: { token_env: "DRILL_TOKEN" } });
  writeFileSync(
    path.join(d.dir, "mcp_servers.json"),
    JSON.stringify({
      project: d.project,
      customers: [
        { id: a, name: a, mcp_servers: [server("tiny"), server("echo")] },
        { id: b, name: b, mcp_servers: [server("tiny")] },
        { id: c, name: c, mcp_servers: [{ type: "tiny", config: { token_env: "DRILL_TOKEN", mode: "crash" } }] },
      ],
    }),
  );
  let created = false;
  let deployed = false;
  const times: Record<string, number> = {};
  const since = Date.now();
  try {
    const gen = d.run(["generate", "--target", "swarm"]);
    assert.equal(gen.code, 0, gen.stderr);
    const file = path.join(d.dir, "docker-stack.mcps.yml");
    const doc = parse(readFileSync(file, "utf8"), { maxAliasCount: -1 });
    // Build each image under the plan's own tag (unique per project), on the local test base.
    for (const type of ["tiny", "echo"]) {
      const image = doc.services[`mcp-${type}-${a}`].image as string;
      docker(["build", "-q", "-t", image, "--build-arg", `BASE_IMAGE=${d.base}`, path.join(d.dir, "mcps", type)]);
    }
    times.build = Date.now() - since;

    created = ensureSwarm();
    const deploy = spawnSync("docker", ["stack", "deploy", "--resolve-image", "never", "-c", file, stack], {
      cwd: d.dir,
      env: { ...process.env, DRILL_TOKEN: "swarm-drill-token" },
      encoding: "utf8",
      timeout: 120_000,
    });
    deployed = true;
    assert.equal(deploy.status, 0, deploy.stderr);

    // Every task running and healthy (bounded).
    const services = [`mcp-tiny-${a}`, `mcp-echo-${a}`, `mcp-tiny-${b}`];
    const deadline = Date.now() + 180_000;
    let health: Record<string, string> = {};
    while (Date.now() < deadline) {
      health = Object.fromEntries(
        services.map((s) => {
          const ids = lines(docker(["ps", "-q", "--filter", `label=com.docker.swarm.service.name=${stack}_${s}`]));
          const states = ids.map((id) => docker(["inspect", "-f", "{{.State.Health.Status}}", id]).trim());
          return [s, states.length === 1 ? states[0]! : `${states.length} tasks: ${states.join(",")}`];
        }),
      );
      if (Object.values(health).every((h) => h === "healthy")) break;
      await new Promise((r) => setTimeout(r, 1000));
    }
    assert.deepEqual(Object.values(health), ["healthy", "healthy", "healthy"], JSON.stringify(health));
    times.healthy = Date.now() - since;

    // Nothing published: no service has a port in its endpoint spec.
    for (const s of services) assert.equal(docker(["service", "inspect", "-f", "{{len .Endpoint.Ports}}", `${stack}_${s}`]).trim(), "0");

    // A helper container on A's network: the MCP handshake with each of A's servers by service name.
    const image = doc.services[`mcp-tiny-${a}`].image as string;
    const helper = (network: string, url: string) =>
      JSON.parse(
        docker([
          "run",
          "--rm",
          "--network",
          network,
          "--label",
          `mcps.project=${d.project}`,
          "--entrypoint",
          "node",
          image,
          "--input-type=module",
          "-e",
          MCP_CLIENT_SOURCE,
          url,
          "3000",
        ]),
      ) as { server?: string; tools?: string[]; error?: string };
    const netA = `${stack}_${a}`;
    for (const s of [`mcp-tiny-${a}`, `mcp-echo-${a}`]) {
      assert.deepEqual(helper(netA, `http://${s}:8000/mcp`), { server: "tiny", protocol: "2025-06-18", tools: ["echo"] }, s);
    }
    // B's server from A's network: its name does not resolve, and its address on B's network is not routed.
    const fromA = helper(netA, `http://mcp-tiny-${b}:8000/mcp`);
    assert.match(String(fromA.error), /ENOTFOUND|EAI_AGAIN/);
    const taskB = lines(docker(["ps", "-q", "--filter", `label=com.docker.swarm.service.name=${stack}_mcp-tiny-${b}`]))[0]!;
    const addressB = docker(["inspect", "-f", "{{range .NetworkSettings.Networks}}{{.IPAddress}} {{end}}", taskB]).trim().split(" ")[0]!;
    assert.match(addressB, /^\d+\.\d+\.\d+\.\d+$/);
    const byAddress = helper(netA, `http://${addressB}:8000/mcp`);
    assert.ok(byAddress.error, `B answered from A's network: ${JSON.stringify(byAddress)}`);
    // The same helper on B's network reaches B: the refusal above is the network, not the client.
    assert.equal(helper(`${stack}_${b}`, `http://mcp-tiny-${b}:8000/mcp`).server, "tiny");
    times.reach = Date.now() - since;

    // status --target swarm: replicas from the Swarm API and the MCP probe from inside each customer's network.
    type Row = { service: string; state: string; desired: number; running: number; probe?: { ok: boolean; ms: number } };
    const status = d.run(["status", "--target", "swarm", "--json", a, b]);
    assert.equal(status.code, 0, status.stdout + status.stderr);
    const report = parsed<{ ok: boolean; services: Row[] }>(status);
    assert.equal(report.ok, true);
    assert.deepEqual(
      report.services.map((r) => [r.service, r.state, `${r.running}/${r.desired}`, r.probe?.ok]),
      [...services].sort().map((s) => [s, "ok", "1/1", true]),
    );
    // C never runs: down, with Swarm's own error for the task, and exit 1.
    const down = d.run(["status", "--target", "swarm", "--json", c]);
    assert.equal(down.code, 1, down.stdout + down.stderr);
    const [rowC] = parsed<{ services: Array<Row & { lastError?: string }> }>(down).services;
    assert.equal(rowC?.state, "down");
    assert.equal(rowC?.probe, undefined);
    assert.match(String(rowC?.lastError), /^failed: task: non-zero exit \(3\)$/);
    const table = d.run(["status", "--target", "swarm", b]);
    assert.equal(table.code, 0, table.stderr);
    assert.match(table.stdout, new RegExp(`^${b}\\s+tiny\\s+${stack}_mcp-tiny-${b}\\s+1/1\\s+ok\\s+ok \\d+ms`, "m"));
    // The helper containers are gone.
    assert.deepEqual(lines(docker(["ps", "-aq", "--filter", "label=mcps.role=swarm-probe", "--filter", `label=mcps.project=${d.project}`])), []);
    times.status = Date.now() - since;

    const removed = await removeStack(stack);
    deployed = false;
    assert.ok(removed.gone, "the stack's containers and networks are still there after 90 s");
    times.removed = Date.now() - since;
    // Nothing deployed any more: status says missing and exits 1.
    const after = d.run(["status", "--target", "swarm", "--json"]);
    assert.equal(after.code, 1, after.stderr);
    assert.deepEqual(new Set(parsed<{ services: Row[] }>(after).services.map((r) => r.state)), new Set(["missing"]));
    t.diagnostic(`times (ms since start): ${JSON.stringify(times)}`);
  } finally {
    if (deployed) await removeStack(stack);
    if (created) leaveSwarm();
    d.cleanup();
  }
  if (created) assert.equal(swarmState(), "inactive");
});
