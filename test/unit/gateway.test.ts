/**
 * /mcp/<customer> over the fake engine and real in-process MCP backends: aggregation and prefixes,
 * routing, policy on list and call, both SDK clients, wake, a backend that goes down.
 */
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { clientConfigForPlan } from "../../src/clients/export-plan.js";
import { startSdkServer } from "../support/sdk-mcp-servers.js";
import { call, type Served, serveWorkspace, until } from "../support/serve.js";
import { GATEWAY_CATALOG, gatewayEngine, legacyClient, modernClient, textOf, toolBackend } from "../support/gateway-kit.js";

type Family = { name: string; metrics: Array<{ value?: string; labels?: Record<string, string> }> };
const parseMetrics = createRequire(import.meta.url)("parse-prometheus-text-format") as (text: string) => Family[];

async function fleet(
  extra: {
    tools?: unknown;
    env?: NodeJS.ProcessEnv;
    tokenEnv?: string;
    gateway?: unknown;
    auditLog?: string;
    listen?: string;
    idleStop?: string;
    now?: () => number;
  } = {},
) {
  const north = await toolBackend("north", ["search", "get", "delete_all"], true);
  const south = await toolBackend("south", ["search", "query"]);
  let old = await startSdkServer("v1");
  const bolt = await toolBackend("bolt-north", ["search"], true);
  const config = {
    customers: [
      {
        name: "Acme",
        ...(extra.gateway !== undefined && { gateway: extra.gateway }),
        mcp_servers: [
          { type: "north", port: north.port, ...(extra.tools !== undefined && { tools: extra.tools }) },
          { type: "south", port: south.port },
          { type: "old", port: old.port },
        ],
      },
      { name: "Bolt", gateway: { token_env: "BOLT_GATEWAY_TOKEN" }, mcp_servers: [{ type: "north", port: bolt.port }] },
    ],
  };
  const engine = gatewayEngine();
  const s: Served = await serveWorkspace(config, engine, {
    catalog: GATEWAY_CATALOG,
    credentials: "",
    ...(extra.env && { env: extra.env }),
    ...(extra.tokenEnv && { tokenEnv: extra.tokenEnv }),
    ...(extra.auditLog && { auditLog: extra.auditLog }),
    ...(extra.listen && { listen: extra.listen }),
    ...(extra.idleStop && { idleStop: extra.idleStop, idleSweepMs: 3_600_000 }),
    ...(extra.now && { now: extra.now }),
  });
  return {
    s,
    engine,
    config,
    north,
    south,
    get old() {
      return old;
    },
    set old(next) {
      old = next;
    },
    url: (c: string) => `${s.base}/mcp/${c}`,
    async [Symbol.asyncDispose]() {
      await s.handle.close();
      await Promise.all([north.close(), south.close(), old.close(), bolt.close()]);
      rmSync(s.dir, { recursive: true, force: true });
    },
  };
}

test("a 2026-07-28 client lists the union of the customer's tools, prefixed, and calls are routed to their owner (waking the customer)", async () => {
  await using f = await fleet();
  const client = await modernClient(f.url("acme"));
  try {
    const names = (await client.listTools()).tools.map((t) => t.name).sort();
    assert.deepEqual(names, ["north_delete_all", "north_get", "north_search", "old_echo", "south_query", "south_search"]);
    assert.equal(f.s.handle.ops.startsRun, 1, "the first request woke the stopped customer once");
    assert.equal(textOf(await client.callTool({ name: "south_search", arguments: { text: "hi" } })), "south:search:hi");
    assert.equal(textOf(await client.callTool({ name: "north_search", arguments: { text: "yo" } })), "north:search:yo");
    assert.equal(textOf(await client.callTool({ name: "old_echo", arguments: { text: "v1" } })), "v1");
    assert.deepEqual(f.north.calls, ["search"]);
    assert.deepEqual(f.south.calls, ["search"]);
    const failed = (await client.callTool({ name: "south_query", arguments: { text: "fail" } })) as { isError?: boolean };
    assert.equal(failed.isError, true, "a tool error comes back as it was");
    await assert.rejects(client.callTool({ name: "north_nope", arguments: { text: "x" } }), /nope/);
  } finally {
    await client.close();
  }
});

test("a 2025 client (SDK v1) lists and calls through the gateway", async () => {
  await using f = await fleet();
  const client = await legacyClient(f.url("Acme"));
  try {
    const names = (await client.listTools()).tools.map((t) => t.name).sort();
    assert.ok(names.includes("north_search") && names.includes("old_echo"), names.join(","));
    assert.equal(textOf(await client.callTool({ name: "north_get", arguments: { text: "a" } })), "north:get:a");
    assert.equal(textOf(await client.callTool({ name: "old_echo", arguments: { text: "b" } })), "b");
  } finally {
    await client.close();
  }
});

test("policy: a denied tool is absent from the list, refused on call like an unknown one, and absent from the switch and customer answers", async () => {
  await using f = await fleet({ tools: { allow: ["search", "get*", "delete_*"], deny: ["delete_*"] } });
  const client = await modernClient(f.url("acme"));
  try {
    const names = (await client.listTools()).tools.map((t) => t.name).filter((n) => n.startsWith("north_"));
    assert.deepEqual(names.sort(), ["north_get", "north_search"]);
    const hidden = await client.callTool({ name: "north_delete_all", arguments: { text: "x" } }).catch((e: Error) => e.message);
    const unknown = await client.callTool({ name: "north_missing", arguments: { text: "x" } }).catch((e: Error) => e.message);
    assert.equal(String(hidden).replace("delete_all", "X"), String(unknown).replace("missing", "X"), "the same error as an unknown tool");
    assert.deepEqual(f.north.calls, [], "the backend never saw the denied call");
  } finally {
    await client.close();
  }
  const sw = (await call(f.s.base, "/api/customers/switch", { method: "POST", body: { customer: "acme" } })).json();
  assert.deepEqual(sw.servers.find((x: { type: string }) => x.type === "north").tools.sort(), ["get", "search"]);
  assert.equal(sw.gateway_url, `${f.s.base}/mcp/acme`);
  const one = (await call(f.s.base, "/api/customers/acme")).json();
  assert.ok(!one.tools.includes("delete_all"));
  assert.equal(one.gateway_url, `${f.s.base}/mcp/acme`);
  const north = one.servers.find((x: { type: string }) => x.type === "north");
  assert.ok(north);
  const view = f.s.handle.store.servers().find((v) => v.service === "mcp-north-acme")!;
  assert.deepEqual([view.tools.length, view.toolsTotal], [2, 3], "the dashboard sees the exposed count beside the total");
});

test("a tool name addressing another customer's or an unknown type is unknown, and the other customer's backend is never called", async () => {
  await using f = await fleet();
  const client = await modernClient(f.url("acme"));
  try {
    await client.listTools();
    for (const name of ["bolt_search", "nosuch_search", "search", "_search", "north_"]) {
      await assert.rejects(client.callTool({ name, arguments: { text: "x" } }), /not found/, name);
    }
  } finally {
    await client.close();
  }
});

test("tokens: a customer with gateway.token_env needs its own token (or serve's), never another's; 401 carries WWW-Authenticate: Bearer", async () => {
  const env = { ...process.env, BOLT_GATEWAY_TOKEN: "bolt-token-1", ADMIN_TOKEN: "admin-token-1", ACME_GATEWAY_TOKEN: "acme-token-1" };
  await using f = await fleet({ env, tokenEnv: "ADMIN_TOKEN", gateway: { token_env: "ACME_GATEWAY_TOKEN" } });
  const list = (customer: string, token?: string) =>
    call(f.s.base, `/mcp/${customer}`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        accept: "application/json, text/event-stream",
        "mcp-protocol-version": "2025-11-25",
        ...(token && { authorization: `Bearer ${token}` }),
      },
      body: { jsonrpc: "2.0", id: 1, method: "tools/list" },
    });
  for (const [customer, token] of [
    ["bolt", undefined],
    ["bolt", "acme-token-1"],
    ["bolt", "admin-token-1x"],
    ["acme", "bolt-token-1"],
    ["acme", undefined],
  ] as const) {
    const r = await list(customer, token);
    assert.equal(r.status, 401, `${customer} with ${token ?? "no token"}`);
    assert.match(String(r.headers["www-authenticate"]), /^Bearer/);
    assert.ok(!r.text.includes("token-1"), "no token value in the answer");
  }
  for (const [customer, token] of [
    ["bolt", "bolt-token-1"],
    ["bolt", "admin-token-1"],
    ["acme", "acme-token-1"],
    ["acme", "admin-token-1"],
  ] as const) {
    const r = await list(customer, token);
    assert.equal(r.status, 200, `${customer} with its token: ${r.text}`);
  }
  const client = await modernClient(f.url("bolt"), "bolt-token-1");
  assert.deepEqual(
    (await client.listTools()).tools.map((t) => t.name),
    ["north_search"],
  );
  await client.close();
});

test("hostile paths: .., %2F, odd Unicode and unknown customers are 404 and reach no customer", async () => {
  await using f = await fleet();
  for (const p of [
    "/mcp/%2e%2e",
    "/mcp/acme%2Fbolt",
    "/mcp/%2Facme",
    "/mcp/ac%CC%81me",
    "/mcp/%E2%80%AEacme",
    "/mcp/nobody",
    "/mcp/%ZZ",
    "/mcp/acme/extra",
    "/mcp/",
  ]) {
    const r = await call(f.s.base, p, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: { jsonrpc: "2.0", id: 1, method: "tools/list" },
    });
    // A dot segment is resolved before routing (to "/", the page): it never reaches a customer either.
    assert.equal(r.status, p === "/mcp/%2e%2e" ? 405 : 404, `${p}: ${r.status} ${r.text}`);
  }
  assert.equal(f.s.handle.ops.startsRun, 0, "no customer was woken");
  const big = await call(f.s.base, "/mcp/acme", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list", params: { pad: "x".repeat(5 * 1024 * 1024) } }),
  }).catch((e: Error) => ({ status: -1, text: e.message }));
  assert.ok(big.status === 413 || big.status === -1, `oversized body: ${big.status}`);
  const batch = await call(f.s.base, "/mcp/acme", {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json, text/event-stream" },
    body: [{ jsonrpc: "2.0", id: 1, method: "tools/list" }],
  });
  assert.equal(batch.status, 400, `a batch is refused: ${batch.text}`);
  const unknown = await call(f.s.base, "/mcp/acme", {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json, text/event-stream", "mcp-protocol-version": "2025-11-25" },
    body: { jsonrpc: "2.0", id: 7, method: "nosuch/method" },
  });
  assert.match(unknown.text, /-32601/, "an unknown method is method-not-found");
  // A body that is not JSON is a JSON-RPC parse error, not a hang or a 500.
  const garbled = await call(f.s.base, "/mcp/acme", {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json, text/event-stream" },
    body: '{"jsonrpc": "2.0", "id": 1, "method": "tools/li',
  });
  assert.equal(garbled.status, 400, `a body that is not JSON: ${garbled.status} ${garbled.text}`);
  assert.match(garbled.text, /-32700/, "a parse error");
});

test("a backend that goes down drops out of tools/list, listeners get list_changed, and its calls fail naming the server while the others work", async () => {
  await using f = await fleet();
  let changed = 0;
  await f.s.handle.ops.start("acme");
  const client = await modernClient(f.url("acme"), undefined, () => void changed++);
  try {
    assert.ok((await client.listTools()).tools.some((t) => t.name === "south_search"));
    const c = [...f.engine.containers.values()].find((x) => x.name === "mcp-south-acme")!;
    await f.south.close();
    // Crashed, and Docker restarting it: failing, not stopped (a stopped one the gateway would start).
    Object.assign(c, { state: "restarting", health: "none" });
    f.engine.emit({ id: c.id, action: "die", labels: c.labels });
    await until(() => f.s.handle.store.servers().find((v) => v.service === "mcp-south-acme")?.verdict !== "ok", 5000, "the stop to be seen");
    await until(() => changed > 0, 5000, "notifications/tools/list_changed");
    const names = (await client.listTools()).tools.map((t) => t.name);
    assert.ok(!names.some((n) => n.startsWith("south_")), names.join(","));
    assert.ok(names.includes("north_search"));
    await assert.rejects(client.callTool({ name: "south_search", arguments: { text: "x" } }), /south/);
    assert.equal(textOf(await client.callTool({ name: "north_search", arguments: { text: "still" } })), "north:search:still");
    assert.equal(f.s.handle.ops.startsRun, 1, "a failing server is not a stopped one: no wake");
  } finally {
    await client.close();
  }
});

test("audit log and metrics: one line per call with argument keys and no argument value; the call series parse and carry the outcome", async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "mcps-audit-"));
  const file = path.join(dir, "audit.log");
  try {
    await using f = await fleet({ auditLog: file });
    const client = await modernClient(f.url("acme"));
    const CANARY = "canary-value-93b1";
    try {
      await client.callTool({ name: "south_search", arguments: { text: CANARY } });
      await client.callTool({ name: "south_query", arguments: { text: "fail" } });
      await client.callTool({ name: "north_nope_x", arguments: { text: CANARY } }).catch(() => undefined);
    } finally {
      await client.close();
    }
    await until(() => existsSync(file) && readFileSync(file, "utf8").split("\n").length > 3, 5000, "three audit lines");
    const text = readFileSync(file, "utf8");
    assert.ok(!text.includes(CANARY), "no argument value in the audit log");
    const lines = text
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    assert.deepEqual(
      lines.map((l) => [l.customer, l.type, l.tool, l.outcome, l.caller, l.argument_keys]),
      [
        ["acme", "south", "search", "ok", "loopback", ["text"]],
        ["acme", "south", "query", "tool_error", "loopback", ["text"]],
        ["acme", "north", "nope_x", "error", "loopback", ["text"]],
      ],
    );
    for (const l of lines) {
      assert.equal(typeof l.duration_ms, "number");
      assert.ok(!Number.isNaN(Date.parse(l.time)));
      assert.notEqual(l.request_id, undefined);
    }
    const families = parseMetrics((await call(f.s.base, "/metrics")).text);
    const calls = families.find((x) => x.name === "mcps_tool_calls_total")!;
    const ok = calls.metrics.find((m) => m.labels?.tool === "search" && m.labels?.outcome === "ok");
    assert.equal(ok?.value, "1");
    assert.deepEqual(ok?.labels, { customer: "acme", type: "south", tool: "search", outcome: "ok" });
    assert.ok(families.some((x) => x.name === "mcps_tool_call_duration_seconds"));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a backend restarted mid-session: the next call succeeds on a new connection, without a client-visible error", async () => {
  await using f = await fleet();
  const client = await modernClient(f.url("acme"));
  try {
    assert.equal(textOf(await client.callTool({ name: "old_echo", arguments: { text: "before" } })), "before");
    // The 2025 backend (sessions) restarts: its old session is gone.
    const port = f.old.port;
    await f.old.close();
    f.old = await startSdkServer("v1", port);
    const c = [...f.engine.containers.values()].find((x) => x.name === "mcp-old-acme")!;
    f.engine.emit({ id: c.id, action: "restart", labels: c.labels });
    assert.equal(textOf(await client.callTool({ name: "old_echo", arguments: { text: "after" } })), "after");
  } finally {
    await client.close();
  }
});

test("on a non-loopback listen every customer's endpoint needs a token", async () => {
  const env = { ...process.env, ADMIN_TOKEN: "admin-token-2" };
  await using f = await fleet({ env, tokenEnv: "ADMIN_TOKEN", listen: "0.0.0.0:0" });
  const r = await call(f.s.base, "/mcp/acme", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: { jsonrpc: "2.0", id: 1, method: "tools/list" },
  });
  assert.equal(r.status, 401);
  const client = await modernClient(f.url("acme"), "admin-token-2");
  assert.ok((await client.listTools()).tools.length > 0);
  await client.close();
});

test("gateway use counts for --idle-stop, and a client connected through an idle stop and the next wake sees no error", async () => {
  const MIN = 60_000;
  let t = 1_000_000;
  await using f = await fleet({ idleStop: "30m", now: () => t });
  const client = await modernClient(f.url("acme"));
  try {
    assert.equal(textOf(await client.callTool({ name: "north_get", arguments: { text: "1" } })), "north:get:1");
    t += 20 * MIN;
    assert.equal(textOf(await client.callTool({ name: "north_get", arguments: { text: "2" } })), "north:get:2");
    t += 20 * MIN;
    assert.deepEqual(await f.s.handle.sweepIdle(), [], "used 20 minutes ago through the gateway");
    t += 11 * MIN;
    assert.deepEqual(await f.s.handle.sweepIdle(), ["acme"]);
    assert.equal(f.engine.byName("mcp-north-acme")?.state, "exited");
    assert.equal(textOf(await client.callTool({ name: "north_get", arguments: { text: "3" } })), "north:get:3");
    assert.equal(f.engine.byName("mcp-north-acme")?.state, "running", "woken by the call");
    assert.equal(f.s.handle.ops.startsRun, 2);
  } finally {
    await client.close();
  }
});

test("clients export --via gateway: one entry per customer, the token by reference only, and the file drives a real SDK client", async () => {
  const env: NodeJS.ProcessEnv = { ...process.env, BOLT_GATEWAY_TOKEN: "bolt-token-9" };
  await using f = await fleet({ env });
  for (const format of ["vscode", "cursor", "claude-desktop", "librechat"]) {
    const text = clientConfigForPlan(f.s.handle.store.plan, format, [], { gatewayUrl: f.s.base }).text;
    assert.ok(!text.includes("bolt-token-9"), `${format}: no token value`);
    assert.ok(text.includes("BOLT_GATEWAY_TOKEN"), `${format}: names the variable`);
  }
  const doc = JSON.parse(clientConfigForPlan(f.s.handle.store.plan, "vscode", [], { gatewayUrl: f.s.base }).text);
  assert.deepEqual(Object.keys(doc.servers), ["acme", "bolt"]);
  // What VS Code does with ${env:VAR}: the value from its environment.
  const entry = doc.servers.bolt as { url: string; headers: { Authorization: string } };
  const header = entry.headers.Authorization.replace(/\$\{env:([A-Z_]+)\}/, (_m, v: string) => env[v] ?? "");
  const client = await modernClient(entry.url, header.slice("Bearer ".length));
  try {
    assert.deepEqual(
      (await client.listTools()).tools.map((t) => t.name),
      ["north_search"],
    );
  } finally {
    await client.close();
  }
  const acme = await modernClient(doc.servers.acme.url);
  assert.ok((await acme.listTools()).tools.length > 0);
  await acme.close();
});

test("prompts are named <type>_<prompt> and resources pass through; a get or read goes to the server that owns it", async () => {
  await using f = await fleet();
  const client = await modernClient(f.url("acme"));
  try {
    const prompts = (await client.listPrompts()).prompts.map((p) => p.name).sort();
    assert.deepEqual(prompts, ["north_brief", "south_brief"]);
    const got = await client.getPrompt({ name: "south_brief" });
    assert.deepEqual(got.messages[0]?.content, { type: "text", text: "south brief" });
    await assert.rejects(client.getPrompt({ name: "bolt_brief" }), /not found/);
    const uris = (await client.listResources()).resources.map((r) => r.uri).sort();
    assert.deepEqual(uris, ["notes://north/today", "notes://south/today"]);
    const read = await client.readResource({ uri: "notes://north/today" });
    assert.equal((read.contents[0] as { text?: string }).text, "north notes");
    await assert.rejects(client.readResource({ uri: "notes://bolt-north/today" }), /not found/);
  } finally {
    await client.close();
  }
});

test("a config reload that changes the policy changes the list at once, tells listeners, and recreates no container", async () => {
  await using f = await fleet();
  let changed = 0;
  const client = await modernClient(f.url("acme"), undefined, () => void changed++);
  try {
    assert.ok((await client.listTools()).tools.some((t) => t.name === "north_delete_all"));
    const creates = f.engine.calls.filter((c) => c.startsWith("create ")).length;
    const next = structuredClone(f.config);
    (next.customers[0]!.mcp_servers[0] as Record<string, unknown>).tools = { deny: ["delete_*"] };
    f.s.writeConfig(next);
    await f.s.handle.reload();
    await until(() => changed > 0, 5000, "notifications/tools/list_changed after the reload");
    const names = (await client.listTools()).tools.map((t) => t.name);
    assert.ok(!names.includes("north_delete_all") && names.includes("north_get"), names.join(","));
    await assert.rejects(client.callTool({ name: "north_delete_all", arguments: { text: "x" } }), /not found/);
    await f.s.handle.ops.start("acme");
    assert.equal(f.engine.calls.filter((c) => c.startsWith("create ")).length, creates, "a policy change recreates nothing");
  } finally {
    await client.close();
  }
});
