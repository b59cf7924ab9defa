/**
 * The host probe over a caller's pool of keep-alive connections (undici, pooled-http.ts) says what the
 * one-shot probe says, for every kind of server and failure, and reuses its connections: repeated probes
 * of one server, as serve makes them, open a connection or two, not one per request.
 */
import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { test } from "node:test";
import { probeMcp, type ProbeResult, type RevisionMemory, type Transport } from "../../src/health/mcp-probe.js";
import { MODERN_VERSION } from "../../src/health/mcp-protocol.js";
import { pooledHttp } from "../../src/health/pooled-http.js";
import { type FakeMcpOptions, withServer } from "../support/fake-mcp-server.js";
import { withSdkServer } from "../support/sdk-mcp-servers.js";

const same = ({ latencyMs: _, ...rest }: ProbeResult) => rest;

const CASES: Array<[string, FakeMcpOptions, Transport, number?]> = [
  ["streamable HTTP, JSON", {}, "streamable-http"],
  ["streamable HTTP, event stream left open, split", { reply: "sse", keepStreamOpen: true, splitWrites: true }, "streamable-http"],
  ["legacy SSE, split", { transport: "sse", splitWrites: true }, "sse"],
  ["paged tools", { tools: 45, pageSize: 10 }, "streamable-http"],
  ["HTTP 500", { status: 500 }, "streamable-http"],
  ["HTTP 500 on the legacy stream", { transport: "sse", status: 500 }, "sse"],
  ["JSON-RPC error", { rpcError: "Unsupported protocol version" }, "streamable-http"],
  ["no protocolVersion", { omitProtocolVersion: true }, "streamable-http"],
  ["never answers", { hang: true }, "streamable-http", 300],
  ["never answers, legacy", { transport: "sse", hang: true }, "sse", 300],
];

for (const [name, opts, transport, timeoutMs = 2000] of CASES) {
  test(`pooled and one-shot agree: ${name}`, async () => {
    const http = pooledHttp();
    try {
      await withServer(opts, async (server) => {
        const oneShot = await probeMcp(server.url, transport, { timeoutMs });
        const pooled = await probeMcp(server.url, transport, { timeoutMs, http });
        assert.deepEqual(same(pooled), same(oneShot));
      });
    } finally {
      await http.close();
    }
  });
}

test("pooled: a closed port is ECONNREFUSED, as one-shot says", async () => {
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, "127.0.0.1", r));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((r) => probe.close(() => r()));
  const http = pooledHttp();
  try {
    for (const transport of ["streamable-http", "sse"] as const) {
      const r = await probeMcp(`http://127.0.0.1:${port}/mcp`, transport, { timeoutMs: 1000, http });
      assert.equal(r.ok, false);
      assert.match(r.error ?? "", /ECONNREFUSED/);
    }
  } finally {
    await http.close();
  }
});

test("pooled: both revisions of the official SDK servers, the second probe one round trip", async () => {
  const http = pooledHttp();
  const memory: RevisionMemory = new Map();
  try {
    for (const kind of ["strict", "v1"] as const) {
      await withSdkServer(kind, async (server) => {
        const first = await probeMcp(server.url, "streamable-http", { http, memory });
        const before = [...server.methods.values()].reduce((a, b) => a + b, 0);
        const second = await probeMcp(server.url, "streamable-http", { http, memory });
        const requests = [...server.methods.values()].reduce((a, b) => a + b, 0) - before;
        // 2026-07-28: tools/list alone; 2025: initialize, initialized, tools/list, DELETE.
        assert.equal(requests, kind === "strict" ? 1 : 4, kind);
        assert.equal(first.error, undefined, kind);
        assert.deepEqual(same(second), same(first), kind);
        if (kind === "strict") assert.equal(first.protocolVersion, MODERN_VERSION);
        else assert.notEqual(first.protocolVersion, MODERN_VERSION);
      });
    }
  } finally {
    await http.close();
  }
});

test("pooled: ten probes of a 2025 server (discover, then four requests each) reuse their connections; one-shot opens one per request", async () => {
  await withServer({}, async (server) => {
    for (let i = 0; i < 10; i++) assert.equal((await probeMcp(server.url, "streamable-http")).ok, true);
    assert.equal(server.connections(), 50);
  });
  const http = pooledHttp();
  try {
    await withServer({}, async (server) => {
      for (let i = 0; i < 10; i++) assert.equal((await probeMcp(server.url, "streamable-http", { http })).ok, true);
      assert.ok(server.connections() <= 2, `${server.connections()} connections for 50 requests`);
      assert.equal(server.counts.deletes, 10, "every session was still ended");
    });
  } finally {
    await http.close();
  }
});

test("pooled: close() ends the pool; a probe after it fails in words instead of hanging", async () => {
  const http = pooledHttp();
  await http.close();
  await http.close(); // twice is fine
  await withServer({}, async (server) => {
    const r = await probeMcp(server.url, "streamable-http", { timeoutMs: 1000, http });
    assert.equal(r.ok, false);
    assert.ok(r.error && !r.error.startsWith("no answer in"), r.error);
  });
});
