/**
 * One MCP probe: the health check Docker runs inside each container (run here with node, exactly as Docker
 * runs it) and the host probe must reach the same verdict on the same servers, for the same reason.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createServer } from "node:http";
import { dirname } from "node:path";
import type { AddressInfo } from "node:net";
import { test } from "node:test";
import {
  CONTAINER_PROBE_SOURCE,
  checkBudgetMs,
  containerProbeCommand,
  NETWORK_PROBE_SOURCE,
  networkProbeCommand,
} from "../../src/health/container-probe.js";
import { probeMcp, type RevisionMemory, type Transport } from "../../src/health/mcp-probe.js";
import { LEGACY_VERSION, MODERN_VERSION, shared } from "../../src/health/mcp-protocol.js";
import { waitUntil } from "../../src/health/wait-until.js";
import { type FakeMcpOptions, type FakeMcpServer, withServer } from "../support/fake-mcp-server.js";
import { SDK_SERVER_INFO, type SdkServerKind, withSdkServer } from "../support/sdk-mcp-servers.js";

/** Docker's timeout for the check; the check itself gives up at its budget, and so does the host probe here. */
const DOCKER_TIMEOUT_MS = 2500;
const TIMEOUT_MS = checkBudgetMs(DOCKER_TIMEOUT_MS);

/** Asynchronously: the fake server lives in this process, so spawnSync would block the loop that must answer. */
function containerProbe(port: number, path: string, transport: string, budgetMs = TIMEOUT_MS): Promise<{ code: number | null; stderr: string }> {
  // Run in full every time (trust_for 0s), through the same sh wrapper Docker runs.
  const [, sh, ...args] = containerProbeCommand({ port, path, transport, budgetMs, trustForMs: 0 });
  assert.equal(sh, "/bin/sh");
  return new Promise((resolve, reject) => {
    const child = spawn(sh!, args, {
      stdio: ["ignore", "ignore", "pipe"],
      env: { ...process.env, PATH: `${dirname(process.execPath)}:${process.env.PATH}` },
    });
    let stderr = "";
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stderr: stderr.trim() }));
  });
}

/** Sessions end when the client's socket closes, which the server notices a moment after the client is done. */
const sessionsDrain = async (server: FakeMcpServer) =>
  (
    await waitUntil(
      async () => server.openSessions(),
      (n) => n === 0,
      { timeoutMs: 1000, intervalMs: 10 },
    )
  ).value;

/**
 * A budget for the cases that must answer: far above what they need, so a loaded machine (a node
 * start under load takes seconds) cannot turn "within the limit" into a timeout. The cases that must
 * time out keep the short budget, which is what they are about.
 */
const ROOMY_MS = 20_000;

/** [name, server, the reason both must give (undefined: both healthy)] */
const CASES: Array<[string, FakeMcpOptions, RegExp | undefined]> = [
  ["streamable HTTP, JSON answer", {}, undefined],
  ["streamable HTTP, event-stream answer", { reply: "sse" }, undefined],
  ["streamable HTTP, event stream left open, events split", { reply: "sse", keepStreamOpen: true, splitWrites: true }, undefined],
  ["legacy SSE", { transport: "sse" }, undefined],
  ["legacy SSE, events split across chunks", { transport: "sse", splitWrites: true }, undefined],
  ["slow but within the limit", { delayMs: 300 }, undefined],
  [
    "JSON-RPC error result",
    { rpcError: "Unsupported protocol version" },
    /^initialize failed: Unsupported protocol version \(JSON-RPC error -32602\)$/,
  ],
  // A substring match on "protocolVersion" once called this healthy.
  ["error whose message names protocolVersion", { rpcError: 'bad "protocolVersion": 1999' }, /^initialize failed: bad "protocolVersion": 1999/],
  ["error over an event stream", { reply: "sse", rpcError: "nope" }, /^initialize failed: nope/],
  ["result without protocolVersion", { omitProtocolVersion: true }, /^initialize: the result has no protocolVersion$/],
  ["legacy SSE, result without protocolVersion", { transport: "sse", omitProtocolVersion: true }, /^initialize: the result has no protocolVersion$/],
  ["HTTP 404", { status: 404 }, /^initialize answered HTTP 404: fake failure 404$/],
  ["legacy SSE, HTTP 500", { transport: "sse", status: 500 }, /^GET answered HTTP 500: fake failure 500$/],
  ["slower than the limit", { delayMs: TIMEOUT_MS + 1000 }, new RegExp(`^no answer in ${TIMEOUT_MS} ms$`)],
  ["never answers", { hang: true }, new RegExp(`^no answer in ${TIMEOUT_MS} ms$`)],
];

for (const [name, opts, reason] of CASES) {
  test(`host and container agree: ${name}`, () =>
    withServer(opts, async (server) => {
      const transport: Transport = opts.transport ?? "streamable-http";
      const budget = reason && /no answer in/.test(reason.source) ? TIMEOUT_MS : ROOMY_MS;
      const [host, inside] = await Promise.all([
        probeMcp(server.url, transport, { timeoutMs: budget }),
        containerProbe(server.port, server.path, transport, budget),
      ]);
      assert.equal(inside.code === 0, host.ok, `host: ${host.error ?? "ok"}; container: ${inside.stderr || "ok"}`);
      if (reason === undefined) {
        assert.equal(host.ok, true, host.error);
        assert.equal(host.protocolVersion, LEGACY_VERSION);
        assert.equal(inside.stderr, "");
      } else {
        assert.equal(inside.code, 1);
        assert.match(host.error ?? "", reason);
        assert.equal(inside.stderr, `mcp probe: ${host.error}`);
      }
      if (!opts.hang && !opts.delayMs) assert.equal(await sessionsDrain(server), 0, "every session ended");
    }));
}

test("both agree on a closed port (ECONNREFUSED)", async () => {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  const [host, inside] = await Promise.all([
    probeMcp(`http://127.0.0.1:${port}/mcp`, "streamable-http", { timeoutMs: TIMEOUT_MS }),
    containerProbe(port, "/mcp", "streamable-http"),
  ]);
  assert.equal(host.ok, false);
  assert.match(host.error ?? "", /ECONNREFUSED/);
  assert.equal(inside.code, 1);
  assert.match(inside.stderr, /ECONNREFUSED/);
});

test("the container check is one line of node, with the shared definition in it and no $ of its own", () => {
  assert.ok(!CONTAINER_PROBE_SOURCE.includes("$"));
  assert.ok(!CONTAINER_PROBE_SOURCE.includes("\n"));
  assert.ok(CONTAINER_PROBE_SOURCE.includes(`const MODERN_VERSION = "${MODERN_VERSION}";`));
  assert.ok(CONTAINER_PROBE_SOURCE.includes(`const LEGACY_VERSION = "${LEGACY_VERSION}";`));
  const command = containerProbeCommand({ port: 8000, path: "/mcp", transport: "sse", budgetMs: checkBudgetMs(5000), trustForMs: 30_000 });
  assert.deepEqual(command.slice(0, 2), ["CMD", "/bin/sh"]);
  assert.deepEqual(command.slice(4, 7), ["mcps-healthcheck", "node", "-e"]);
  assert.deepEqual(command.slice(8), ["8000", "/mcp", "sse", "4000", "30000"]);
  assert.equal(checkBudgetMs(1000), 500);
  // The network form (status --target swarm) is the same check, addressed to a host on the network.
  const network = networkProbeCommand({ port: 8000, path: "/mcp", transport: "sse", budgetMs: 1, trustForMs: 30_000 }, "mcp-x-acme", 4000);
  assert.deepEqual(network.slice(0, 2), ["node", "-e"]);
  assert.equal(network[2], NETWORK_PROBE_SOURCE);
  assert.deepEqual(network.slice(3), ["8000", "/mcp", "sse", "4000", "mcp-x-acme"]);
});

test("the success rule parses: a result with a protocolVersion string, nothing else", () => {
  assert.deepEqual(shared.initializeVerdict({ id: 1, result: { protocolVersion: "2025-03-26", serverInfo: { name: "s", version: "1" } } }), {
    ok: true,
    protocolVersion: "2025-03-26",
    serverName: "s",
    serverVersion: "1",
  });
  assert.equal(shared.initializeVerdict({ id: 1, result: { protocolVersion: 20250326 } }).ok, false);
  assert.equal(shared.initializeVerdict({ id: 1, result: { protocolVersion: "" } }).ok, false);
  assert.equal(shared.initializeVerdict({ id: 1, result: null }).ok, false);
  assert.equal(shared.answerTo(shared.parseJson('{"jsonrpc":"2.0","method":"x","params":{"protocolVersion":"1"}}'), 1), undefined);
  assert.deepEqual(
    shared.answerTo(
      [
        { id: 2, result: {} },
        { id: 1, result: { a: 1 } },
      ],
      1,
    ),
    { id: 1, result: { a: 1 } },
  );
});

/** Real servers of every revision, built with the official SDKs: both probes reach them, in the revision each speaks. */
const SDK_CASES: Array<[SdkServerKind, string]> = [
  ["strict", MODERN_VERSION],
  ["dual", MODERN_VERSION],
  ["v1", LEGACY_VERSION],
];
for (const [kind, version] of SDK_CASES) {
  test(`host and container both speak to a real ${kind} server (SDK), in ${version}`, () =>
    withSdkServer(kind, async (server) => {
      const memory: RevisionMemory = new Map();
      const host = await probeMcp(server.url, "streamable-http", { timeoutMs: TIMEOUT_MS, memory });
      assert.equal(host.ok, true, host.error);
      assert.equal(host.protocolVersion, version);
      assert.equal(host.serverName, SDK_SERVER_INFO.name);
      assert.equal(host.serverVersion, SDK_SERVER_INFO.version);
      assert.deepEqual(host.tools, ["echo"]);
      const inside = await containerProbe(server.port, "/mcp", "streamable-http");
      assert.equal(inside.code, 0, inside.stderr);
      // Remembered: the next probe of a 2026-07-28 server is one round trip; a 2025 one skips server/discover.
      const before = new Map(server.methods);
      const again = await probeMcp(server.url, "streamable-http", { timeoutMs: TIMEOUT_MS, memory });
      assert.equal(again.ok, true, again.error);
      assert.equal(again.protocolVersion, version);
      const sent = [...server.methods].filter(([m, n]) => n !== (before.get(m) ?? 0)).map(([m]) => m);
      assert.deepEqual(
        sent.sort(),
        version === MODERN_VERSION ? ["tools/list"] : ["DELETE", "initialize", "notifications/initialized", "tools/list"],
      );
    }));
}

test("when both revisions fail, the 2025 failure is reported, unless it says the server speaks only 2026-07-28", () => {
  const strict = 'initialize answered HTTP 400: {"jsonrpc":"2.0","error":{"code":-32022,"message":"Unsupported protocol version"}}';
  assert.equal(shared.whichFailure("server/discover answered HTTP 503", strict), "server/discover answered HTTP 503");
  assert.equal(
    shared.whichFailure("server/discover answered HTTP 400", "initialize failed: nope (JSON-RPC error -32603)"),
    "initialize failed: nope (JSON-RPC error -32603)",
  );
});
