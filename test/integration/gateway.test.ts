/**
 * The gateway on the real engine: a strict 2026-07-28 server and the drill's 2025 tiny server in one
 * customer, built and then stopped. A 2026-07-28 client on /mcp/<customer> wakes it, lists both
 * servers' tools, calls one; the strict server's container is restarted mid-session and the next call
 * succeeds; a 2025 client's session hears list_changed when that container stops, and its tools drop
 * out while the 2025 server keeps answering; the switch carries gateway_url.
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
import { Client as LegacyClient } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport as LegacyTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { freePort } from "../support/ports.js";
import { call, until } from "../support/serve.js";

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

      // A 2025 client (SDK v1) gets a session, lists and calls both; its GET stream hears the tool set
      // change when the strict server's container is stopped, whose tools then drop out and whose calls
      // fail naming the server, while the 2025 server keeps answering.
      let changed = 0;
      const legacy = new LegacyClient(
        { name: "gateway-it", version: "1.0.0" },
        { listChanged: { tools: { autoRefresh: false, debounceMs: 0, onChanged: () => void changed++ } } },
      );
      const transport = new LegacyTransport(new URL(`${base}/mcp/${id}`));
      await legacy.connect(transport);
      try {
        assert.ok(transport.sessionId, "the 2025 client was given a session");
        assert.deepEqual((await legacy.listTools()).tools.map((x) => x.name).sort(), ["strict_echo", "tiny_echo"]);
        assert.equal(textOf(await legacy.callTool({ name: "strict_echo", arguments: { text: "three" } })), "three");
        docker(["stop", "-t", "2", strict]);
        await until(() => changed > 0, 30_000, "notifications/tools/list_changed on the 2025 session after the stop");
        await until(async () => (await legacy.listTools()).tools.every((x) => x.name !== "strict_echo"), 30_000, "strict_echo gone from the list");
        const refused = await legacy.callTool({ name: "strict_echo", arguments: { text: "four" } }).then(
          (r) => JSON.stringify(r),
          (e: Error) => e.message,
        );
        assert.match(refused, /strict/, `the refusal names the server: ${refused}`);
        assert.deepEqual(
          (await legacy.listTools()).tools.map((x) => x.name),
          ["tiny_echo"],
        );
      } finally {
        await legacy.close();
      }
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
