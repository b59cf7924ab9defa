/**
 * Both MCP revisions on the real engine, in one customer: a strict 2026-07-28 server (SDK v2,
 * `legacy: 'reject'`, which answers initialize with -32022) beside the drill's 2025-only tiny server.
 * start --wait, status (tools and protocol version), Docker's own health check, repeated and concurrent
 * status runs (never a failure on a healthy fleet), and a serve switch with /api/status and /api/fleet.
 */
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { DockerEngine } from "../../src/engine/docker-engine.js";
import { parseServeOptions } from "../../src/serve/options.js";
import { runServe } from "../../src/serve/serve.js";
import { requireEngine, waitHealthy } from "../support/docker.js";
import { drill } from "../support/drill.js";
import { freePort } from "../support/ports.js";
import { call } from "../support/serve.js";

const MODERN = "2026-07-28";
const LEGACY = "2025-11-25";
const SEQUENTIAL_STATUS_RUNS = 30;
const CONCURRENT_STATUS_RUNS = 30;

type Row = {
  type: string;
  ok: boolean;
  health: string;
  tools: string[] | null;
  mcp: { protocol_version: string | null; error: string | null } | null;
};

test("a strict 2026-07-28 server beside a 2025 one: start --wait, status, Docker health, status runs, serve switch", {
  timeout: 600_000,
}, async (t) => {
  if (!requireEngine(t)) return;
  const d = drill();
  const id = `rev${d.tag}`;
  const configFile = path.join(d.dir, "mcp_servers.json");
  const config = {
    project: d.project,
    customers: [
      {
        id,
        name: `Revisions ${d.tag}`,
        mcp_servers: [
          { type: "strict", port: await freePort(), config: {} },
          { type: "tiny", port: await freePort(), config: { token_env: "DRILL_TOKEN" } },
        ],
      },
    ],
  };
  writeFileSync(configFile, JSON.stringify(config, null, 2));
  writeFileSync(path.join(d.dir, "mcp_credentials.env"), "DRILL_TOKEN=drill-token-value\n");
  const names = ["strict", "tiny"].map((type) => `${d.project}-mcp-${type}-${id}`);
  let handle: Awaited<ReturnType<typeof runServe>> | undefined;
  try {
    const started = d.run(["start", "--all", "--wait", "--timeout", "120", "--build-arg", `BASE_IMAGE=${d.base}`]);
    assert.equal(started.code, 0, started.stderr);

    const status = d.run(["status", "--json"]);
    assert.equal(status.code, 0, status.stdout + status.stderr);
    const rows: Row[] = JSON.parse(status.stdout).services;
    const byType = Object.fromEntries(rows.map((r) => [r.type, r]));
    assert.equal(byType.strict?.mcp?.protocol_version, MODERN, JSON.stringify(byType.strict));
    assert.equal(byType.tiny?.mcp?.protocol_version, LEGACY, JSON.stringify(byType.tiny));
    for (const r of rows) assert.deepEqual(r.tools, ["echo"], r.type);
    const wide = d.run(["status", "--wide"]);
    assert.match(wide.stdout, new RegExp(`^${id} +strict .* ${MODERN} +strict-drill`, "m"));
    assert.match(wide.stdout, new RegExp(`^${id} +tiny .* ${LEGACY} +tiny`, "m"));

    // Docker's own check (server/discover for strict, the 2025 handshake for tiny) calls both healthy.
    assert.deepEqual(await waitHealthy(names, 60_000), Object.fromEntries(names.map((n) => [n, "healthy"])));

    // A healthy fleet: no status run fails, one after another or many at once.
    for (let i = 0; i < SEQUENTIAL_STATUS_RUNS; i++) {
      const r = d.run(["status", "--json"]);
      assert.equal(r.code, 0, `sequential run ${i}: ${r.stdout}${r.stderr}`);
    }
    const together = await Promise.all(Array.from({ length: CONCURRENT_STATUS_RUNS }, () => d.runAsync(["status", "--json"])));
    for (const [i, r] of together.entries()) assert.equal(r.code, 0, `concurrent run ${i}: ${r.stdout}${r.stderr}`);

    // serve: a switch lists both servers' tools, and its views carry each server's revision.
    handle = await runServe(
      { config: configFile, catalog: path.join(d.dir, "mcps") },
      parseServeOptions({ listen: "127.0.0.1:0", probeInterval: "2s" }, {}),
      { engine: new DockerEngine(), log: () => {} },
    );
    const base = `http://127.0.0.1:${handle.port}`;
    const sw = await call(base, "/api/customers/switch", { method: "POST", body: { customer: id } });
    assert.equal(sw.status, 200, sw.text);
    assert.deepEqual(sw.json().connected_mcps, ["strict", "tiny"], sw.text);
    for (const s of sw.json().servers) assert.deepEqual(s.tools, ["echo"], s.type);
    const api = (await call(base, "/api/status")).json().services as Row[];
    assert.deepEqual(Object.fromEntries(api.map((r) => [r.type, r.mcp?.protocol_version])), { strict: MODERN, tiny: LEGACY });
    const fleet = (await call(base, "/api/fleet")).json().servers as Array<{ type: string; protocolVersion: string | null }>;
    assert.deepEqual(Object.fromEntries(fleet.map((s) => [s.type, s.protocolVersion])), { strict: MODERN, tiny: LEGACY });
  } finally {
    await handle?.close();
    d.cleanup();
  }
});
