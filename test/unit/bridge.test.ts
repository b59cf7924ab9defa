/**
 * mcps's stdio bridge (mcps/_bridge/bridge.mjs) on this machine, no Docker: a real bridge process in
 * front of a real stdio MCP server (test/fixtures/bridge-child/edge-child.mjs), reached by the SDK
 * clients of both revisions. The packages resolve from the root node_modules (devDependencies pin
 * the same SDK as mcps/_bridge/package.json). The engine-backed proof is stdio-bridge.test.ts.
 */
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import path from "node:path";
import { after, before, test } from "node:test";
import { Client as LegacyClient } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport as LegacyTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { ROOT } from "../support/cli.js";
import { bareToolsList, legacySession, modernSession, openModern } from "../support/mcp-sessions.js";
import { freePort } from "../support/ports.js";

const BRIDGE = path.join(ROOT, "mcps/_bridge/bridge.mjs");
const CHILD = path.join(ROOT, "test/fixtures/bridge-child/edge-child.mjs");

let bridge: ChildProcess;
let url: string;
let stderr = "";

type Text = { content?: Array<{ type: string; text?: string }> };
const textOf = (r: unknown) => (r as Text).content?.find((c) => c.type === "text")?.text ?? "";

async function until(done: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; bridge stderr:\n${stderr}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function openLegacy(): Promise<LegacyClient> {
  const client = new LegacyClient({ name: "bridge-unit", version: "1.0.0" });
  await client.connect(new LegacyTransport(new URL(url)));
  return client;
}

before(async () => {
  const port = await freePort();
  url = `http://127.0.0.1:${port}/mcp`;
  bridge = spawn(process.execPath, [BRIDGE, "--port", String(port), "--path", "/mcp", "--", process.execPath, CHILD], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  bridge.stderr!.on("data", (d) => (stderr += d));
  await until(async () => (await bareToolsList(url)) === "ok", 20_000, "the bridge to answer");
});

after(() => {
  if (bridge.exitCode === null) bridge.kill("SIGKILL");
});

test("bridge: both revisions, many sessions, one child process", async () => {
  const [modern, legacy] = await Promise.all([modernSession(url), legacySession(url)]);
  assert.equal(modern.protocolVersion, "2026-07-28");
  assert.match(legacy.protocolVersion ?? "", /^2025-/);
  assert.deepEqual(legacy.tools, modern.tools);
  const clients = await Promise.all([openModern(url), openModern(url), openLegacy(), openLegacy()]);
  const pids = await Promise.all(clients.map(async (c) => textOf(await c.callTool({ name: "pid", arguments: {} }))));
  assert.equal(new Set(pids).size, 1, `one child answers all: ${pids.join(", ")}`);
  assert.equal(clients[0]!.getInstructions(), "edge instructions");
  await Promise.all(clients.map((c) => c.close()));
});

test("bridge: progress reaches each caller under its own token, the last step included", async () => {
  const modern = await openModern(url);
  const legacy = await openLegacy();
  const seen = { modern: [] as number[], legacy: [] as number[] };
  const args = { name: "slow", arguments: { ms: 150 } };
  const [a, b] = await Promise.all([
    modern.callTool(args, { onprogress: (p) => seen.modern.push(p.progress) }),
    legacy.callTool(args, undefined, { onprogress: (p) => seen.legacy.push(p.progress) }),
  ]);
  assert.equal(textOf(a), "slow done");
  assert.equal(textOf(b), "slow done");
  assert.deepEqual(seen, { modern: [1, 2, 3], legacy: [1, 2, 3] });
  await Promise.all([modern.close(), legacy.close()]);
});

test("bridge: the caller's _meta reaches the child, the protocol envelope does not", async () => {
  const modern = await openModern(url);
  assert.equal(textOf(await modern.callTool({ name: "meta", arguments: {}, _meta: { custom: 1 } })), '{"custom":1}');
  await modern.close();
});

test("bridge: the child's sampling, elicitation and roots requests are refused (method not found)", async () => {
  const modern = await openModern(url);
  const lines = textOf(await modern.callTool({ name: "ask", arguments: {} })).split("\n");
  assert.deepEqual(lines, ["sampling/createMessage: -32601", "elicitation/create: -32601", "roots/list: -32601"]);
  await modern.close();
});

test("bridge: a 2026-07-28 caller that gives up cancels the request in the child", async () => {
  const modern = await openModern(url);
  const aborted = new AbortController();
  setTimeout(() => aborted.abort(), 150);
  await assert.rejects(modern.callTool({ name: "slow", arguments: { ms: 1500 } }, { signal: aborted.signal }));
  await until(() => stderr.includes("edge-child: slow cancelled"), 3000, "the child to see the cancel");
  await modern.close();
});

test("bridge: the child's tool list changes reach 2026-07-28 listeners", async () => {
  const listener = await openModern(url);
  let changes = 0;
  listener.setNotificationHandler("notifications/tools/list_changed", () => {
    changes += 1;
  });
  await listener.listen({ toolsListChanged: true });
  const legacy = await openLegacy();
  await legacy.callTool({ name: "change", arguments: {} });
  await until(() => changes === 1, 3000, "the list change");
  await Promise.all([listener.close(), legacy.close()]);
});

test("bridge: HTTP edges: 404 elsewhere, 413 past 4 MiB, 405 for a 2025 GET", async () => {
  const post = (target: string, body: string) =>
    fetch(target, { method: "POST", headers: { "content-type": "application/json", accept: "application/json, text/event-stream" }, body });
  assert.equal((await post(url.replace("/mcp", "/other"), "{}")).status, 404);
  assert.equal((await post(url, "x".repeat(4 * 1024 * 1024 + 1))).status, 413);
  assert.equal((await fetch(url, { headers: { accept: "text/event-stream" } })).status, 405);
});

test("bridge: a child that exits is restarted; 503 meanwhile, then a new process answers", async () => {
  const client = await openLegacy();
  const first = textOf(await client.callTool({ name: "pid", arguments: {} }));
  await client.callTool({ name: "die", arguments: {} });
  await client.close();
  const seen: string[] = [];
  await until(
    async () => {
      seen.push(await bareToolsList(url));
      return seen.at(-1) === "ok" && seen.includes("503");
    },
    10_000,
    "a 503, then an answer",
  );
  assert.match(stderr, /mcps-bridge: child exited \(code 7\) after [\d.]+ s; restarting in 0\.5 s\n/);
  const again = await openLegacy();
  assert.notEqual(textOf(await again.callTool({ name: "pid", arguments: {} })), first);
  await again.close();
});

test("bridge: SIGTERM stops the bridge and its child, exit 0, in well under the stop grace", async () => {
  const started = Date.now();
  bridge.kill("SIGTERM");
  const [code] = await once(bridge, "exit");
  assert.equal(code, 0);
  assert.ok(Date.now() - started < 5000, `stopped in ${Date.now() - started} ms`);
  assert.equal(await bareToolsList(url), "down");
});
