/**
 * The gateway on the real engine: a strict 2026-07-28 server and the drill's 2025 tiny server in one
 * customer, built and then stopped. A 2026-07-28 client on /mcp/<customer> wakes it, lists both
 * servers' tools, calls one; the strict server's container is restarted mid-session and the next call
 * succeeds; the switch carries gateway_url.
 */
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { DockerEngine } from "../../src/engine/docker-engine.js";
import { parseServeOptions } from "../../src/serve/options.js";
import { runServe } from "../../src/serve/serve.js";
import { docker, requireEngine } from "../support/docker.js";
import { drill } from "../support/drill.js";
import { modernClient, textOf } from "../support/gateway-kit.js";
import { freePort } from "../support/ports.js";
import { call } from "../support/serve.js";

test("gateway on the real engine: wake from stopped, both revisions' tools, a backend restarted mid-session", { timeout: 600_000 }, async (t) => {
  if (!requireEngine(t)) return;
  const d = drill();
  const id = `gw${d.tag}`;
  const configFile = path.join(d.dir, "mcp_servers.json");
  const config = {
    project: d.project,
    customers: [
      {
        id,
        name: `Gateway ${d.tag}`,
        mcp_servers: [
          { type: "strict", port: await freePort(), config: {} },
          { type: "tiny", port: await freePort(), config: { token_env: "DRILL_TOKEN" } },
        ],
      },
    ],
  };
  writeFileSync(configFile, JSON.stringify(config, null, 2));
  writeFileSync(path.join(d.dir, "mcp_credentials.env"), "DRILL_TOKEN=drill-token-value\n");
  const strict = `${d.project}-mcp-strict-${id}`;
  let handle: Awaited<ReturnType<typeof runServe>> | undefined;
  try {
    const started = d.run(["start", "--all", "--wait", "--timeout", "120", "--build-arg", `BASE_IMAGE=${d.base}`]);
    assert.equal(started.code, 0, started.stderr);
    assert.equal(d.run(["stop", "--all"]).code, 0);
    handle = await runServe(
      { config: configFile, catalog: path.join(d.dir, "mcps") },
      parseServeOptions({ listen: "127.0.0.1:0", probeInterval: "2s", wakeTimeout: "90s" }, {}),
      { engine: new DockerEngine(), log: () => undefined },
    );
    const base = `http://127.0.0.1:${handle.port}`;
    const t0 = performance.now();
    const client = await modernClient(`${base}/mcp/${id}`);
    try {
      const names = (await client.listTools()).tools.map((x) => x.name).sort();
      const coldMs = performance.now() - t0;
      t.diagnostic(`cold wake to the first tools/list: ${Math.round(coldMs)} ms`);
      assert.deepEqual(names, ["strict_echo", "tiny_echo"]);
      assert.equal(handle.ops.startsRun, 1, "woken once, through the switch's single flight");
      assert.equal(textOf(await client.callTool({ name: "strict_echo", arguments: { text: "one" } })), "one");

      docker(["restart", "-t", "2", strict]);
      assert.equal(textOf(await client.callTool({ name: "strict_echo", arguments: { text: "two" } })), "two");
    } finally {
      await client.close();
    }
    const sw = await call(base, "/api/customers/switch", { method: "POST", body: { customer: id } });
    assert.equal(sw.json().gateway_url, `${base}/mcp/${id}`);
  } finally {
    await handle?.close();
    d.cleanup();
  }
});
