/**
 * `mcps serve` on the real engine with real MCP servers: the example catalog's alertmanager (upstream
 * 127.0.0.1:1) and the drill's tiny (one customer's tiny crashes on purpose). Serve runs in this
 * process with the Docker engine, so the test can move the idle clock and count reconciles.
 */
import assert from "node:assert/strict";
import { cpSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { test } from "node:test";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { DockerEngine } from "../../src/engine/docker-engine.js";
import { parseServeOptions } from "../../src/serve/options.js";
import { runServe } from "../../src/serve/serve.js";
import { docker, requireEngine } from "../support/docker.js";
import { drill } from "../support/drill.js";
import { freePort } from "../support/ports.js";
import { call, sseReader, until } from "../support/serve.js";
import { REAL_CATALOG } from "../support/workspace.js";

type Family = { name: string; metrics: Array<{ value?: string; labels?: Record<string, string> }> };
const parseMetrics = createRequire(import.meta.url)("parse-prometheus-text-format") as (text: string) => Family[];
const MIN = 60_000;

/** The tool names a real MCP client (the official SDK) lists at this URL. */
async function sdkTools(url: string): Promise<string[]> {
  const client = new Client({ name: "serve-it", version: "1.0.0" });
  await client.connect(new StreamableHTTPClientTransport(new URL(url)));
  try {
    return (await client.listTools()).tools.map((t) => t.name);
  } finally {
    await client.close();
  }
}

const state = (container: string) => docker(["inspect", "-f", "{{.State.Status}}", container]).trim();

test("serve on the real engine: switch, single flight, a broken type, metrics, guard, idle stop, reload", { timeout: 900_000 }, async (t) => {
  if (!requireEngine(t)) return;
  const d = drill();
  cpSync(path.join(REAL_CATALOG, "alertmanager"), path.join(d.dir, "mcps", "alertmanager"), { recursive: true });
  const [a, b] = [`sa${d.tag}`, `sb${d.tag}`];
  const am = async () => ({ type: "alertmanager", port: await freePort(), config: { alertmanager_url: "http://127.0.0.1:1" } });
  const tiny = async (mode = "serve") => ({ type: "tiny", port: await freePort(), config: { token_env: "DRILL_TOKEN", mode } });
  const config = {
    project: d.project,
    customers: [
      { id: a, name: `Serve A ${d.tag}`, mcp_servers: [await am(), await tiny()] },
      { id: b, name: `Serve B ${d.tag}`, mcp_servers: [await am(), await tiny("crash")] },
    ],
  };
  const configFile = path.join(d.dir, "mcp_servers.json");
  writeFileSync(configFile, JSON.stringify(config, null, 2));
  writeFileSync(path.join(d.dir, "mcp_credentials.env"), "DRILL_TOKEN=drill-token-value\n");
  const name = (type: string, id: string) => `${d.project}-mcp-${type}-${id}`;
  let t0 = 1_000_000;
  let handle: Awaited<ReturnType<typeof runServe>> | undefined;
  const logs: string[] = [];
  try {
    // Built and created up front, then stopped: the customers serve sees are stopped ones.
    // Engine events are counted from here (second resolution): this start, then the switches' one.
    const since = Math.floor(Date.now() / 1000) - 1;
    const built = d.run(["start", a, b, "--build-arg", `BASE_IMAGE=${d.base}`]);
    assert.ok(d.containers().length === 4, built.stderr);
    assert.equal(d.run(["stop", "--all"]).code, 0);

    handle = await runServe(
      { config: configFile, catalog: path.join(d.dir, "mcps") },
      parseServeOptions({ listen: "127.0.0.1:0", probeInterval: "2s", idleStop: "30m" }, {}),
      { engine: new DockerEngine(), log: (l) => logs.push(l), now: () => t0, idleSweepMs: 3_600_000 },
    );
    const base = `http://127.0.0.1:${handle.port}`;
    const sse = sseReader(base);
    const post = (p: string, body?: unknown, headers: Record<string, string> = {}) =>
      call(base, p, { method: "POST", headers, ...(body !== undefined && { body }) });

    // Switch to a stopped customer: running, tools by name, as a real MCP client lists them.
    const sw = await post("/api/customers/switch", { customer: `Serve A ${d.tag}` });
    assert.equal(sw.status, 200, sw.text);
    const r = sw.json();
    assert.equal(r.success, true, sw.text);
    assert.equal(r.customer, a);
    assert.deepEqual(r.connected_mcps, ["alertmanager", "tiny"]);
    assert.deepEqual(r.failed_mcps, []);
    assert.equal(state(name("alertmanager", a)), "running");
    assert.equal(state(name("tiny", a)), "running");
    for (const s of r.servers) assert.deepEqual(s.tools, await sdkTools(s.url), `${s.type}: the tools a real client lists`);
    assert.deepEqual(r.servers.find((s: { type: string }) => s.type === "tiny").tools, ["echo"]);
    assert.ok(r.servers.find((s: { type: string }) => s.type === "alertmanager").tools.length > 3);
    assert.equal(
      r.tool_count,
      r.servers.reduce((n: number, s: { tools: string[] }) => n + s.tools.length, 0),
    );
    await until(
      () => sse.events.some((e) => e.event === "state" && e.data.service === `mcp-tiny-${a}` && e.data.state === "running"),
      10_000,
      "a state event",
    );

    // Ten switches at once to B: one reconcile, one docker start of its alertmanager; tiny crashes.
    const runsBefore = handle.ops.startsRun;
    const ten = await Promise.all(Array.from({ length: 10 }, () => post("/api/customers/switch", { customer: b })));
    const until_ = Math.floor(Date.now() / 1000) + 1;
    assert.equal(handle.ops.startsRun - runsBefore, 1, "one reconcile for ten switches");
    const starts = docker([
      "events",
      "--since",
      String(since),
      "--until",
      String(until_),
      "--filter",
      `container=${name("alertmanager", b)}`,
      "--filter",
      "event=start",
      "--format",
      "{{.Action}}",
    ])
      .trim()
      .split("\n")
      .filter(Boolean);
    assert.deepEqual(starts, ["start", "start"], "the engine saw the set-up's start and one start for ten switches");
    for (const reply of ten) {
      const body = reply.json();
      assert.equal(reply.status, 200);
      assert.equal(body.success, true, reply.text);
      assert.deepEqual(body.connected_mcps, ["alertmanager"]);
      assert.equal(body.failed_mcps.length, 1);
      assert.equal(body.failed_mcps[0].type, "tiny");
      assert.match(body.failed_mcps[0].reason, /exited with code 3/);
      assert.equal(body.tool_count, body.servers[0].tools.length);
    }

    // Metrics, parsed.
    const families = new Map(parseMetrics((await call(base, "/metrics")).text).map((m) => [m.name, m]));
    const up = (c: string, type: string) =>
      families.get("mcps_service_up")!.metrics.find((m) => m.labels?.customer === c && m.labels?.type === type)?.value;
    assert.equal(up(a, "tiny"), "1");
    assert.equal(up(b, "tiny"), "0");
    assert.ok(
      families.has("mcps_switch_duration_seconds") &&
        families.has("mcps_mcp_probe_duration_seconds") &&
        families.has("mcps_container_restarts_total"),
    );

    // DNS rebinding and a cross-origin POST: refused, and A keeps running.
    assert.equal((await post(`/api/customers/${a}/stop`, undefined, { host: `rebind.example:${handle.port}` })).status, 421);
    assert.equal((await post(`/api/customers/${a}/stop`, undefined, { origin: "http://rebind.example" })).status, 403);
    assert.equal(state(name("tiny", a)), "running");

    // Status from the held view is status --json's document.
    const status = (await call(base, "/api/status")).json();
    assert.equal(status.project, d.project);
    assert.equal(status.services.find((s: { service: string }) => s.service === `mcp-tiny-${a}`).ok, true);

    // Idle stop, clock moved: both unused for 31 minutes are stopped, not removed.
    t0 += 31 * MIN;
    assert.deepEqual((await handle.sweepIdle()).sort(), [a, b].sort());
    assert.equal(state(name("tiny", a)), "exited");
    assert.equal(state(name("alertmanager", b)), "exited");
    assert.equal(d.containers().length, 4);

    // Reload: a bad file is reported and the last plan serves; a good one (A only) is taken.
    writeFileSync(configFile, "{ not json");
    await until(async () => (await call(base, "/api/fleet")).json().config.ok === false, 15_000, "the bad config reported");
    assert.equal((await call(base, "/api/customers")).json().customers.length, 2);
    writeFileSync(configFile, JSON.stringify({ ...config, customers: [config.customers[0]] }, null, 2));
    await until(async () => (await call(base, "/api/customers")).json().customers.length === 1, 15_000, "the good config taken");
    assert.ok(sse.events.some((e) => e.event === "config" && e.data.ok === false));
    assert.ok(sse.events.some((e) => e.event === "config" && e.data.ok === true && e.data.services === 2));
    sse.close();
    for (const l of [...logs, JSON.stringify(sse.events)]) assert.ok(!l.includes("drill-token-value"), "no secret in logs or events");
  } finally {
    await handle?.close();
    d.cleanup();
  }
});
