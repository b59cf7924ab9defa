/** The host MCP probe against a fake server; mcp-probe-agreement.test.ts runs the in-container check beside it. */
import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { test } from "node:test";
import { probeMcp } from "../../src/health/mcp-probe.js";
import { LEGACY_VERSION } from "../../src/health/mcp-protocol.js";
import { SseParser } from "../../src/health/sse.js";
import { waitUntil } from "../../src/health/wait-until.js";
import type { Clock } from "../../src/health/wait-until.js";
import { type FakeMcpServer, SERVER_INFO, withServer } from "../support/fake-mcp-server.js";

/** Sessions end when the client's socket closes, which the server notices a moment after the client is done. */
async function sessionsDrain(server: FakeMcpServer): Promise<number> {
  const r = await waitUntil(
    async () => server.openSessions(),
    (n) => n === 0,
    { timeoutMs: 1000, intervalMs: 10 },
  );
  return r.value;
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

test("streamable HTTP with JSON answers: full handshake, then the session is deleted", () =>
  withServer({}, async (server) => {
    const r = await probeMcp(server.url, "streamable-http");
    assert.equal(r.error, undefined);
    assert.equal(r.ok, true);
    assert.equal(r.protocolVersion, LEGACY_VERSION);
    assert.equal(r.serverName, SERVER_INFO.name);
    assert.equal(r.serverVersion, SERVER_INFO.version);
    assert.deepEqual(r.tools, ["tool_0", "tool_1", "tool_2"]);
    assert.ok(r.latencyMs >= 0 && r.latencyMs < 1000);
    assert.deepEqual(server.counts, { initialize: 1, initialized: 1, toolsList: 1, deletes: 1 });
    assert.equal(server.openSessions(), 0);
  }));

test("streamable HTTP with event-stream answers split across chunks, stream left open", () =>
  withServer({ reply: "sse", splitWrites: true, keepStreamOpen: true }, async (server) => {
    const r = await probeMcp(server.url, "streamable-http", { timeoutMs: 1500 });
    assert.equal(r.error, undefined);
    assert.equal(r.ok, true);
    assert.equal(r.tools?.length, 3);
    assert.equal(server.counts.deletes, 1);
    assert.equal(server.openSessions(), 0);
  }));

test("legacy HTTP+SSE: endpoint event, answers on the stream, stream closed afterwards", () =>
  withServer({ transport: "sse", splitWrites: true }, async (server) => {
    const r = await probeMcp(server.url, "sse");
    assert.equal(r.error, undefined);
    assert.equal(r.ok, true);
    assert.equal(r.protocolVersion, LEGACY_VERSION);
    assert.equal(r.serverName, SERVER_INFO.name);
    assert.equal(r.tools?.length, 3);
    assert.equal(server.counts.initialized, 1);
    assert.equal(await sessionsDrain(server), 0);
  }));

test("tools/list pages are followed through nextCursor", () =>
  withServer({ tools: 45, pageSize: 10 }, async (server) => {
    const r = await probeMcp(server.url, "streamable-http");
    assert.equal(r.ok, true);
    assert.equal(r.tools?.length, 45);
    assert.equal(r.tools?.[44], "tool_44");
    assert.equal(server.counts.toolsList, 5);
  }));

test("HTTP 500 is reported with its status and body", () =>
  withServer({ status: 500 }, async (server) => {
    const r = await probeMcp(server.url, "streamable-http");
    assert.equal(r.ok, false);
    assert.equal(r.error, "initialize answered HTTP 500: fake failure 500");
  }));

test("HTTP 500 on the legacy event stream is reported too", () =>
  withServer({ transport: "sse", status: 500 }, async (server) => {
    const r = await probeMcp(server.url, "sse");
    assert.equal(r.ok, false);
    assert.match(r.error ?? "", /^GET answered HTTP 500/);
  }));

test("a JSON-RPC error from initialize is reported with its message", () =>
  withServer({ rpcError: "Unsupported protocol version" }, async (server) => {
    const r = await probeMcp(server.url, "streamable-http");
    assert.equal(r.ok, false);
    assert.match(r.error ?? "", /^initialize failed: Unsupported protocol version/);
    assert.equal(server.counts.toolsList, 0);
  }));

for (const transport of ["streamable-http", "sse"] as const) {
  test(`a server that never answers fails within the timeout (${transport})`, () =>
    withServer({ transport, hang: true }, async (server) => {
      const startedMs = performance.now();
      const r = await probeMcp(server.url, transport, { timeoutMs: 300 });
      const tookMs = performance.now() - startedMs;
      assert.equal(r.ok, false);
      assert.equal(r.error, "no answer in 300 ms");
      // The server never answers, so an answer at all is the timeout's; the lower bound shows it waited
      // for it. No upper bound: on a busy machine it is a measure of the machine, not of the probe.
      assert.ok(tookMs >= 290, `took ${tookMs} ms`);
    }));

  test(`a closed port is reported as ECONNREFUSED (${transport})`, async () => {
    const r = await probeMcp(`http://127.0.0.1:${await closedPort()}/mcp`, transport, { timeoutMs: 1000 });
    assert.equal(r.ok, false);
    assert.match(r.error ?? "", /ECONNREFUSED/);
  });
}

test("the SSE parser handles CRLF, comments, multi-line data and events split anywhere", () => {
  const stream = ": hello\r\nevent: endpoint\r\ndata: /messages?s=1\r\n\r\nid: 7\ndata: a\ndata: b\n\ndata: lone\r\r";
  for (let cut = 0; cut <= stream.length; cut++) {
    const parser = new SseParser();
    const events = [...parser.feed(stream.slice(0, cut)), ...parser.feed(stream.slice(cut)), ...parser.feed("\n")];
    assert.deepEqual(events, [
      { event: "endpoint", data: "/messages?s=1" },
      { event: "message", data: "a\nb", id: "7" },
      { event: "message", data: "lone" },
    ]);
  }
});

function fakeClock(): Clock & { sleeps: number[] } {
  let nowMs = 0;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => nowMs,
    sleep: async (ms) => {
      sleeps.push(ms);
      nowMs += ms;
    },
  };
}

test("waitUntil retries until done, on a fake clock", async () => {
  const clock = fakeClock();
  let calls = 0;
  const r = await waitUntil(
    async () => ++calls,
    (n) => n === 3,
    { timeoutMs: 10_000, intervalMs: 500, clock },
  );
  assert.deepEqual(r, { value: 3, done: true, elapsedMs: 1000 });
  assert.deepEqual(clock.sleeps, [500, 500]);
});

test("waitUntil gives up at the deadline with the last value, on a fake clock", async () => {
  const clock = fakeClock();
  let calls = 0;
  const r = await waitUntil(
    async () => ++calls,
    () => false,
    { timeoutMs: 1200, intervalMs: 500, clock },
  );
  assert.deepEqual(r, { value: 4, done: false, elapsedMs: 1200 });
  assert.deepEqual(clock.sleeps, [500, 500, 200]);
});
