/**
 * A tool call that reaches a customer's system. Customer `am…` has a real Alertmanager (Debian's) and
 * a Grafana stand-in on its own network; its alertmanager_url and grafana_url name them by alias.
 * An alert the test posts comes back through the alertmanager MCP server's getAlerts, called at the
 * server's own URL from a switch and through the gateway. The grafana server's search_dashboards
 * reaches the stand-in with the customer's token and gets the dashboard; customer `wr…`, whose
 * token_env variable holds another value, gets a tool error that says 401, from its own stand-in.
 * Nothing leaves 127.0.0.1 and the project's networks.
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { cpSync, existsSync, writeFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { DockerEngine } from "../../src/engine/docker-engine.js";
import { networkName } from "../../src/plan/names.js";
import { parseServeOptions } from "../../src/serve/options.js";
import { runServe } from "../../src/serve/serve.js";
import { runCliProcess } from "../support/cli.js";
import { docker, requireEngine } from "../support/docker.js";
import { drill } from "../support/drill.js";
import { modernClient } from "../support/gateway-kit.js";
import { requireTool } from "../support/host-tool.js";
import { freePort } from "../support/ports.js";
import { call } from "../support/serve.js";
import {
  ALERTMANAGER_BIN,
  buildAlertmanagerImage,
  postAlert,
  removeUpstreams,
  runAlertmanager,
  runGrafanaStandIn,
  standInLog,
} from "../support/upstreams.js";
import { REAL_CATALOG } from "../support/workspace.js";

type ToolResult = { content?: Array<{ type: string; text?: string }>; isError?: boolean };
const allText = (r: unknown) => ((r as ToolResult).content ?? []).map((c) => c.text ?? "").join("\n");

test("tool calls reach the customer's own Alertmanager and Grafana, with the customer's credential", { timeout: 900_000 }, async (t) => {
  if (!requireEngine(t)) return;
  if (!requireTool(t, existsSync(ALERTMANAGER_BIN), ALERTMANAGER_BIN, "apt-get install prometheus-alertmanager")) return;
  const d = drill();
  for (const type of ["alertmanager", "grafana", "_bridge"])
    cpSync(path.join(REAL_CATALOG, type), path.join(d.dir, "mcps", type), { recursive: true });
  const [a, b] = [`am${d.tag}`, `wr${d.tag}`];
  // Test-only values, never printed: the right one for a, another one for b.
  const [right, wrong] = [randomBytes(16).toString("hex"), randomBytes(16).toString("hex")];
  const marker = `planted-${d.tag}`;
  const title = `Stand-in board ${d.tag}`;
  // The MCP containers hold their type as alias on the network, so the upstreams take other names.
  const grafana = (tokenEnv: string) => ({ grafana_url: "http://grafana-upstream:3000", token_env: tokenEnv });
  const config = {
    project: d.project,
    customers: [
      {
        id: a,
        name: a,
        mcp_servers: [
          { type: "alertmanager", port: await freePort(), config: { alertmanager_url: "http://alertmanager-upstream:9093" } },
          { type: "grafana", port: await freePort(), config: grafana("UPSTREAM_GRAFANA_TOKEN_A") },
        ],
      },
      { id: b, name: b, mcp_servers: [{ type: "grafana", port: await freePort(), config: grafana("UPSTREAM_GRAFANA_TOKEN_B") }] },
    ],
  };
  const configFile = path.join(d.dir, "mcp_servers.json");
  writeFileSync(configFile, JSON.stringify(config, null, 2));
  writeFileSync(path.join(d.dir, "mcp_credentials.env"), `UPSTREAM_GRAFANA_TOKEN_A=${right}\nUPSTREAM_GRAFANA_TOKEN_B=${wrong}\n`);
  const amImage = `mcps-it-upstream-alertmanager:${d.tag}`;
  const upstreams = [`${d.project}-upstream-alertmanager-${a}`, `${d.project}-upstream-grafana-${a}`, `${d.project}-upstream-grafana-${b}`];
  let handle: Awaited<ReturnType<typeof runServe>> | undefined;
  try {
    // mcps creates the customers' networks; the upstreams join them after. A cold build of the real
    // types (npm ci in each) can take minutes on a loaded machine: the process gets ten.
    const args = ["start", "--all", "--wait", "--timeout", "180", "--build-arg", `BASE_IMAGE=${d.base}`];
    const started = runCliProcess(args, { cwd: d.dir, timeoutMs: 600_000 });
    assert.equal(started.code, 0, started.stderr);
    buildAlertmanagerImage(d.base, amImage);
    const am = await runAlertmanager(amImage, upstreams[0]!, networkName(d.project, a), "alertmanager-upstream");
    const standInA = await runGrafanaStandIn(d.base, upstreams[1]!, networkName(d.project, a), "grafana-upstream", { token: right, title });
    const standInB = await runGrafanaStandIn(d.base, upstreams[2]!, networkName(d.project, b), "grafana-upstream", { token: right, title });
    await postAlert(am, "McpsUpstreamDrill", marker);

    handle = await runServe(
      { config: configFile, catalog: path.join(d.dir, "mcps") },
      parseServeOptions({ listen: "127.0.0.1:0", probeInterval: "5s", wakeTimeout: "120s" }, {}),
      { engine: new DockerEngine(), log: () => undefined },
    );
    const serve = `http://127.0.0.1:${handle.port}`;

    // The switch path: the server's own loopback URL from the switch, called with the SDK client.
    const sw = await call(serve, "/api/customers/switch", { method: "POST", body: { customer: a } });
    assert.equal(sw.status, 200, sw.text);
    const server = (sw.json().servers as Array<{ type: string; url: string; tools: string[] }>).find((s) => s.type === "alertmanager");
    assert.ok(server, sw.text);
    assert.ok(server.tools.includes("getAlerts"), `getAlerts among ${server.tools.join(", ")}`);
    const direct = await modernClient(server.url);
    try {
      const r = await direct.callTool({ name: "getAlerts", arguments: {} });
      assert.notEqual((r as ToolResult).isError, true, allText(r));
      assert.match(allText(r), new RegExp(marker), "the posted alert, from the switch's URL");
    } finally {
      await direct.close();
    }

    // The gateway: the same alert, and Grafana's answer with the right credential.
    const gw = await modernClient(`${serve}/mcp/${a}`);
    try {
      const r = await gw.callTool({ name: "alertmanager_getAlerts", arguments: {} });
      assert.notEqual((r as ToolResult).isError, true, allText(r));
      assert.match(allText(r), new RegExp(marker), "the posted alert, through the gateway");
      const found = await gw.callTool({ name: "grafana_search_dashboards", arguments: { query: "" } });
      assert.notEqual((found as ToolResult).isError, true, allText(found));
      assert.match(allText(found), new RegExp(title), "the stand-in's dashboard, for the right token");
    } finally {
      await gw.close();
    }
    assert.ok(standInLog(standInA).includes("accepted GET /api/search"), standInLog(standInA).join("\n"));

    // The other customer's variable holds another value: its stand-in refuses, and the tool says so.
    const gwB = await modernClient(`${serve}/mcp/${b}`);
    try {
      const refused = await gwB.callTool({ name: "grafana_search_dashboards", arguments: { query: "" } }).catch((e: Error) => e);
      const said = refused instanceof Error ? refused.message : allText(refused);
      if (!(refused instanceof Error)) assert.equal((refused as ToolResult).isError, true, said);
      t.diagnostic(`the wrong credential's answer: ${said}`);
      assert.match(said, /401|unauthori[sz]ed/i);
      assert.doesNotMatch(said, new RegExp(title), "no dashboard for the wrong token");
    } finally {
      await gwB.close();
    }
    const logB = standInLog(standInB);
    assert.ok(logB.includes("refused GET /api/search"), logB.join("\n"));
    assert.ok(!logB.some((l) => l.startsWith("accepted")), logB.join("\n"));
  } finally {
    await handle?.close();
    removeUpstreams(upstreams);
    d.cleanup();
    try {
      docker(["rmi", amImage]);
    } catch {
      // never built
    }
  }
});
