/**
 * The shipped alert rules and dashboard against the real parts: Debian's Prometheus scrapes a real
 * `mcps serve` over a drill fleet and sends to Debian's Alertmanager, all on 127.0.0.1. Every query
 * of ops/grafana/mcps.json returns data; a container whose server is killed three times (crashes
 * Docker restarts) reaches Alertmanager as McpsCrashLoop with its customer label, and the alert
 * resolves once the container has run without crashing for the rules' (shortened) window; then the
 * container is killed (docker kill) and McpsServerKilled arrives with its customer label, and resolves
 * after `mcps start` heals it.
 */
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { DockerEngine } from "../../src/engine/docker-engine.js";
import { parseServeOptions } from "../../src/serve/options.js";
import { runServe } from "../../src/serve/serve.js";
import { ROOT } from "../support/cli.js";
import { docker, requireEngine } from "../support/docker.js";
import { drill } from "../support/drill.js";
import { modernClient } from "../support/gateway-kit.js";
import { requireTool } from "../support/host-tool.js";
import { freePort } from "../support/ports.js";
import {
  ALERTMANAGER,
  activeAlerts,
  type Daemon,
  instantQuery,
  PROMETHEUS,
  shortenedRules,
  startAlertmanager,
  startPrometheus,
} from "../support/prometheus-kit.js";
import { call, until } from "../support/serve.js";

/** What Grafana sends for the dashboard's pickers at All and its rate window. */
const asSent = (expr: string) => expr.replaceAll("$__rate_interval", "2m").replaceAll("$customer", ".*").replaceAll("$type", ".*");

function dashboardQueries(): Array<{ panel: string; expr: string }> {
  const d = JSON.parse(readFileSync(path.join(ROOT, "ops/grafana/mcps.json"), "utf8")) as {
    panels: Array<{ title?: string; targets?: Array<{ expr?: string }> }>;
  };
  return d.panels.flatMap((p) => (p.targets ?? []).map((t) => ({ panel: p.title ?? "", expr: t.expr ?? "" })));
}

/** SIGKILL the server process inside the container: a crash, which Docker's restart policy answers. */
function crash(container: string): boolean {
  try {
    docker(["exec", container, "sh", "-c", "kill -9 $(cat /tmp/tiny.pid)"]);
    return true;
  } catch {
    return false; // restarting: no process yet to kill
  }
}

const restarts = (container: string) => Number(docker(["inspect", "-f", "{{.RestartCount}}", container]).trim());

test("Prometheus and Alertmanager on a real fleet: the dashboard's queries have data, a crash loop and a killed container alert per customer and resolve", {
  timeout: 600_000,
}, async (t) => {
  if (!requireEngine(t)) return;
  for (const bin of [PROMETHEUS, ALERTMANAGER])
    if (!requireTool(t, existsSync(bin), bin, "apt-get install prometheus prometheus-alertmanager")) return;
  const d = drill();
  const keep = `keep${d.tag}`;
  const kill = `kill${d.tag}`;
  const tmp = mkdtempSync(path.join(os.tmpdir(), "mcps-ops-"));
  const daemons: Daemon[] = [];
  let handle: Awaited<ReturnType<typeof runServe>> | undefined;
  try {
    const tiny = async () => ({ type: "tiny", port: await freePort(), config: { token_env: "DRILL_TOKEN" } });
    const config = {
      project: d.project,
      customers: [
        { id: keep, name: keep, mcp_servers: [{ type: "strict", port: await freePort(), config: {} }, await tiny()] },
        { id: kill, name: kill, mcp_servers: [await tiny()] },
      ],
    };
    const configFile = path.join(d.dir, "mcp_servers.json");
    writeFileSync(configFile, JSON.stringify(config, null, 2));
    writeFileSync(path.join(d.dir, "mcp_credentials.env"), "DRILL_TOKEN=drill-token-value\n");
    const started = d.run(["start", "--all", "--wait", "--timeout", "120", "--build-arg", `BASE_IMAGE=${d.base}`]);
    assert.equal(started.code, 0, started.stderr);

    handle = await runServe(
      { config: configFile, catalog: path.join(d.dir, "mcps") },
      parseServeOptions({ listen: "127.0.0.1:0", probeInterval: "1s" }, {}),
      { engine: new DockerEngine(), log: () => undefined },
    );
    const serve = `http://127.0.0.1:${handle.port}`;
    const am = await startAlertmanager(tmp);
    daemons.push(am);
    const prom = await startPrometheus(tmp, `127.0.0.1:${handle.port}`, am.base, shortenedRules());
    daemons.push(prom);
    await until(async () => (await instantQuery(prom.base, "mcps_service_up == 1")).length === 3, 60_000, "three servers up in Prometheus");

    // Data for the switch and gateway panels: two rounds, each seen by a scrape, so rates are not 0.
    const client = await modernClient(`${serve}/mcp/${keep}`);
    try {
      for (const round of [1, 2]) {
        assert.equal((await call(serve, "/api/customers/switch", { method: "POST", body: { customer: keep } })).json().success, true);
        await client.callTool({ name: "strict_echo", arguments: { text: "hello" } });
        // The tiny server has no tools/call: an `error` outcome for the error panel.
        await client.callTool({ name: "tiny_echo", arguments: {} }).catch(() => undefined);
        const seen = async () => Number((await instantQuery(prom.base, "sum(mcps_tool_calls_total)"))[0]?.value[1] ?? 0) === round * 2;
        await until(seen, 30_000, `round ${round}'s calls scraped`);
      }
    } finally {
      await client.close();
    }
    await new Promise((r) => setTimeout(r, 2_000)); // one more scrape after the last round

    const empty: string[] = [];
    for (const { panel, expr } of dashboardQueries()) {
      const samples = await instantQuery(prom.base, asSent(expr));
      if (!samples.some((s) => Number.isFinite(Number(s.value[1])))) empty.push(`${panel}: ${expr}`);
    }
    assert.deepEqual(empty, [], "dashboard queries without data");

    const killed = `${d.project}-mcp-tiny-${kill}`;
    for (let n = 1; n <= 3; n++) {
      await until(() => crash(killed), 30_000, `crash ${n} of ${killed}`);
      await until(() => restarts(killed) >= n, 30_000, `Docker's restart ${n} of ${killed}`);
    }
    const crashLoops = async () => (await activeAlerts(am.base)).filter((a) => a.labels.alertname === "McpsCrashLoop");
    await until(async () => (await crashLoops()).length > 0, 60_000, "McpsCrashLoop in Alertmanager");
    const [alert, ...others] = await crashLoops();
    assert.equal(others.length, 0, "only the killed customer's server alerts");
    assert.equal(alert!.labels.customer, kill);
    assert.equal(alert!.labels.type, "tiny");
    assert.equal(alert!.labels.severity, "critical");
    assert.equal(alert!.status.state, "active");

    // Docker has restarted it and it serves again; with no crash for 30 s the alert resolves.
    await until(async () => (await instantQuery(prom.base, `mcps_service_up{customer="${kill}"} == 1`)).length === 1, 60_000, `${kill} up again`);
    await until(async () => (await crashLoops()).length === 0, 90_000, "McpsCrashLoop resolved in Alertmanager");

    // docker kill: Docker does not restart a killed container, the verdict is stopped (not down), and
    // McpsServerKilled says what happened; `mcps start` heals it and the alert resolves.
    docker(["kill", killed]);
    const killedAlerts = async () => (await activeAlerts(am.base)).filter((a) => a.labels.alertname === "McpsServerKilled");
    await until(async () => (await killedAlerts()).length > 0, 60_000, "McpsServerKilled in Alertmanager");
    const [k, ...otherKilled] = await killedAlerts();
    assert.equal(otherKilled.length, 0);
    assert.equal(k!.labels.customer, kill);
    assert.equal(k!.labels.type, "tiny");
    const healed = d.run(["start", kill, "--wait", "--timeout", "120", "--build-arg", `BASE_IMAGE=${d.base}`]);
    assert.equal(healed.code, 0, healed.stderr);
    await until(async () => (await killedAlerts()).length === 0, 90_000, "McpsServerKilled resolved in Alertmanager");
  } finally {
    for (const daemon of daemons.reverse()) await daemon.stop();
    await handle?.close();
    d.cleanup();
    rmSync(tmp, { recursive: true, force: true });
  }
});
