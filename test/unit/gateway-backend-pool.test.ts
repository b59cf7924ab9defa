/**
 * The gateway's link to one backend (BackendPool) over real SDK servers on 127.0.0.1: after a listing a
 * 2026-07-28 `tools/call` goes as plain JSON-RPC and its result is the one the SDK client got; a tool
 * whose schema wants Mcp-Param-* headers stays on the SDK client; a call whose connection breaks after
 * it was sent is never sent twice; a 2025 backend that lost its session gets the call again.
 */
import assert from "node:assert/strict";
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { test } from "node:test";
import { createMcpHandler, McpServer, ProtocolError, ProtocolErrorCode, Server } from "@modelcontextprotocol/server";
import * as z from "zod";
import { BackendPool, BackendUnavailable } from "../../src/gateway/backend-pool.js";
import type { ServicePlan } from "../../src/plan/types.js";
import { askHandler, relay } from "../support/gateway-kit.js";
import { startSdkServer } from "../support/sdk-mcp-servers.js";

interface Seen {
  method: string;
  tool?: string;
  userAgent?: string;
}

/** A strict 2026-07-28 SDK v2 server that records each request; `hang_up` drops the connection after it ran. */
async function backend(port = 0, own?: () => McpServer | Server) {
  const seen: Seen[] = [];
  const rich = () => {
    const server = new McpServer({ name: "wire-test", version: "1.0.0" });
    server.registerTool("rich", { inputSchema: z.object({ n: z.number() }), outputSchema: z.object({ twice: z.number() }) }, async ({ n }) => ({
      content: [{ type: "text", text: `n=${n}` }],
      structuredContent: { twice: n * 2 },
      _meta: { "example.com/trace": "t-1" },
    }));
    server.registerTool("fails", { inputSchema: z.object({}) }, async () => ({ content: [{ type: "text", text: "no" }], isError: true }));
    server.registerTool("sleeps", { inputSchema: z.object({}) }, async () => {
      await new Promise((r) => setTimeout(r, 3000));
      return { content: [{ type: "text", text: "woke" }] };
    });
    server.registerTool("hang_up", { inputSchema: z.object({}) }, async () => ({ content: [{ type: "text", text: "ran" }] }));
    return server;
  };
  const handler = createMcpHandler(own ?? rich, { legacy: "reject" });
  const http = createServer(async (req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    const message = body.length ? (JSON.parse(body.toString()) as { method?: string; params?: { name?: string } }) : {};
    seen.push({
      method: message.method ?? req.method ?? "",
      ...(message.params?.name && { tool: message.params.name }),
      ...(req.headers["user-agent"] && { userAgent: req.headers["user-agent"] }),
    });
    const answer = await askHandler(handler, req, body);
    // The tool ran; the connection breaks before its answer leaves.
    if (message.params?.name === "hang_up") return void req.socket.destroy();
    await relay(res, answer);
  });
  await new Promise<void>((resolve) => http.listen(port, "127.0.0.1", resolve));
  const bound = (http.address() as AddressInfo).port;
  return {
    seen,
    port: bound,
    url: `http://127.0.0.1:${bound}/mcp`,
    calls: (tool: string) => seen.filter((s) => s.method === "tools/call" && s.tool === tool),
    close: () =>
      new Promise<void>((resolve) => {
        http.closeAllConnections();
        http.close(() => resolve());
      }),
  };
}

const service = (url: string, type = "wire") =>
  ({ name: `mcp-${type}-acme`, type, customerId: "acme", url, transport: "streamable-http" }) as ServicePlan;
const pool = (requestTimeoutMs = 10_000) => new BackendPool({ connectTimeoutMs: 3000, requestTimeoutMs, onListChanged: () => undefined });

test("after a listing, a 2026-07-28 tools/call goes as plain JSON-RPC, and its result and tool error are what the SDK client got", async () => {
  const b = await backend();
  const p = pool();
  try {
    const s = service(b.url);
    // Before any listing the SDK client sends the call (and a listing is asked for meanwhile).
    const viaSdk = await p.request(s, "tools/call", { name: "rich", arguments: { n: 21 } });
    await p.request(s, "tools/list", undefined);
    const plain = await p.request(s, "tools/call", { name: "rich", arguments: { n: 21 } });
    const failed = await p.request(s, "tools/call", { name: "fails", arguments: {} });
    const calls = b.calls("rich");
    assert.equal(calls.length, 2);
    // fetch (the SDK client) names itself; the pooled plain request does not.
    assert.ok(calls[0]?.userAgent, "the first call went through the SDK client");
    assert.equal(calls[1]?.userAgent, undefined, "the call after the listing went as plain JSON-RPC");
    assert.deepEqual(plain.structuredContent, { twice: 42 });
    assert.deepEqual(plain.content, viaSdk.content);
    assert.equal((plain._meta as Record<string, unknown>)["example.com/trace"], "t-1");
    assert.equal(failed.isError, true);
  } finally {
    await p.close();
    await b.close();
  }
});

/** A low-level server whose one tool answers with a JSON-RPC error (McpServer would make it a tool error). */
function refusing(): Server {
  const server = new Server({ name: "refusing", version: "1.0.0" }, { capabilities: { tools: {} } });
  server.setRequestHandler("tools/list", async () => ({ tools: [{ name: "refuses", inputSchema: { type: "object" as const } }] }));
  server.setRequestHandler("tools/call", async () => {
    throw new ProtocolError(ProtocolErrorCode.InvalidParams, "refused on purpose");
  });
  return server;
}

test("a backend's JSON-RPC error on the plain path comes back as a ProtocolError with its code", async () => {
  const b = await backend(0, refusing);
  const p = pool();
  try {
    const s = service(b.url);
    await p.request(s, "tools/list", undefined);
    await assert.rejects(p.request(s, "tools/call", { name: "refuses", arguments: {} }), (e: Error & { code?: number }) => {
      assert.equal(e.constructor.name, "ProtocolError");
      assert.equal(e.code, ProtocolErrorCode.InvalidParams);
      assert.match(e.message, /refused on purpose/);
      return true;
    });
    assert.equal(b.calls("refuses").at(-1)?.userAgent, undefined, "the call went as plain JSON-RPC");
  } finally {
    await p.close();
    await b.close();
  }
});

test("a tools/call whose connection breaks after the server ran it is not sent again: one run, and an error", async () => {
  const b = await backend();
  const p = pool();
  try {
    const s = service(b.url);
    await p.request(s, "tools/list", undefined);
    await assert.rejects(p.request(s, "tools/call", { name: "hang_up", arguments: {} }), BackendUnavailable);
    assert.equal(b.calls("hang_up").length, 1);
  } finally {
    await p.close();
    await b.close();
  }
});

test("a call to a backend that is not listening yet is tried again until it answers (it never ran)", async () => {
  const first = await backend();
  const port = first.port;
  await first.close();
  const p = pool();
  let later: Awaited<ReturnType<typeof backend>> | undefined;
  try {
    const s = service(`http://127.0.0.1:${port}/mcp`);
    const pending = p.request(s, "tools/call", { name: "rich", arguments: { n: 1 } });
    await new Promise((r) => setTimeout(r, 150));
    later = await backend(port);
    const r = await pending;
    assert.deepEqual(r.structuredContent, { twice: 2 });
    assert.equal(later.calls("rich").length, 1);
  } finally {
    await p.close();
    await later?.close();
  }
});

test("a 2025 backend restarted under a held session: the plain call meets the lost session and is sent again on a new one", async () => {
  let v1 = await startSdkServer("v1");
  const p = pool();
  try {
    const s = service(v1.url, "old");
    await p.request(s, "tools/list", undefined);
    await p.request(s, "tools/call", { name: "echo", arguments: { text: "a" } });
    const port = v1.port;
    await v1.close();
    v1 = await startSdkServer("v1", port);
    const r = await p.request(s, "tools/call", { name: "echo", arguments: { text: "b" } });
    assert.deepEqual(r.content, [{ type: "text", text: "b" }]);
    assert.equal(v1.methods.get("initialize"), 1, "a new session was made on the restarted server");
  } finally {
    await p.close();
    await v1.close();
  }
});

test("a 2026-07-28 tool whose schema declares an x-mcp-header parameter is called through the SDK client, which sends its Mcp-Param header", async () => {
  const b = await backend(0, () => {
    const server = new McpServer({ name: "headers", version: "1.0.0" });
    const region = z.string().meta({ "x-mcp-header": "Region" });
    server.registerTool("by_region", { inputSchema: z.object({ region }) }, async ({ region: r }) => ({
      content: [{ type: "text", text: `region ${r}` }],
    }));
    return server;
  });
  const p = pool();
  try {
    const s = service(b.url);
    const listed = await p.request(s, "tools/list", undefined);
    assert.match(JSON.stringify(listed), /x-mcp-header/, "the server declares the header");
    const r = await p.request(s, "tools/call", { name: "by_region", arguments: { region: "eu" } });
    assert.deepEqual(r.content, [{ type: "text", text: "region eu" }]);
    assert.ok(b.calls("by_region")[0]?.userAgent, "the call went through the SDK client");
  } finally {
    await p.close();
    await b.close();
  }
});

test("a plain tools/call that outlives the request bound, or whose client leaves, ends at once and is not sent again", async () => {
  const b = await backend();
  const p = pool(300);
  try {
    const s = service(b.url);
    await p.request(s, "tools/list", undefined);
    await assert.rejects(
      p.request(s, "tools/call", { name: "sleeps", arguments: {} }),
      (e: Error) => e instanceof BackendUnavailable && /timed out/.test(e.message),
    );
    const left = new AbortController();
    const pending = p.request(s, "tools/call", { name: "sleeps", arguments: {} }, left.signal);
    setTimeout(() => left.abort(), 50);
    await assert.rejects(pending);
    assert.equal(b.calls("sleeps").length, 2, "each call was sent once");
    assert.ok(
      b.calls("sleeps").every((c) => c.userAgent === undefined),
      "both went as plain JSON-RPC",
    );
  } finally {
    await p.close();
    await b.close();
  }
});

test("a call whose connection closed unanswered is sent again only when its container had been replaced after the link connected and before it was sent", async () => {
  const b = await backend();
  let run = new Date(Date.now() - 60_000).toISOString();
  const p = new BackendPool({ connectTimeoutMs: 3000, requestTimeoutMs: 10_000, onListChanged: () => undefined, runOf: () => run });
  const s = service(b.url);
  // Each case on a listed link (so the call goes plain), connected a moment before the call.
  const listedLink = async () => {
    await p.request(s, "tools/list", undefined);
    await new Promise((r) => setTimeout(r, 20));
  };
  const plainCalls = () => b.calls("hang_up").filter((c) => c.userAgent === undefined).length;
  try {
    // serve learns late of a restart after the link connected and before the call was sent: sent again.
    await listedLink();
    const sent = Date.now();
    const before = p.request(s, "tools/call", { name: "hang_up", arguments: {} });
    run = new Date(sent).toISOString();
    await assert.rejects(before, BackendUnavailable);
    assert.equal(b.calls("hang_up").length, 2, "sent again once on the new run (whose answer was lost too)");
    // A container whose new run started after the call was sent (it died during the call): not again.
    await listedLink();
    const during = p.request(s, "tools/call", { name: "hang_up", arguments: {} });
    run = new Date(Date.now() + 1000).toISOString();
    await assert.rejects(during, BackendUnavailable);
    assert.equal(b.calls("hang_up").length, 3, "sent once");
    // serve still showed an old run when the link was made, after the new run had started: the call
    // may have reached the new process, so it is not sent again either.
    run = new Date(Date.now() - 120_000).toISOString();
    await listedLink();
    const stale = p.request(s, "tools/call", { name: "hang_up", arguments: {} });
    run = new Date(Date.now() - 5_000).toISOString();
    await assert.rejects(stale, BackendUnavailable);
    assert.equal(b.calls("hang_up").length, 4, "sent once");
    // Each case's call went plain; only the one sent again went on a new link, through the SDK client.
    assert.equal(plainCalls(), 3);
  } finally {
    await p.close();
    await b.close();
  }
});

test("a list request has its own short bound: a server that never answers tools/list cannot hold a listing for the call bound", async () => {
  const b = await backend(0, () => {
    const server = new Server({ name: "slow-list", version: "1.0.0" }, { capabilities: { tools: {} } });
    server.setRequestHandler("tools/list", async () => {
      await new Promise((r) => setTimeout(r, 3000));
      return { tools: [] };
    });
    server.setRequestHandler("tools/call", async () => ({ content: [{ type: "text" as const, text: "called" }] }));
    return server;
  });
  const p = new BackendPool({ connectTimeoutMs: 3000, requestTimeoutMs: 10_000, listTimeoutMs: 200, onListChanged: () => undefined });
  try {
    const s = service(b.url);
    // The list bound (200 ms) ends it, not the call bound (10 s): the error says it timed out.
    await assert.rejects(p.request(s, "tools/list", undefined), (e: Error) => e instanceof BackendUnavailable && /time/i.test(e.message));
    assert.equal(b.seen.filter((x) => x.method === "tools/list").length, 1, "a timed-out list is not sent again");
    assert.deepEqual((await p.request(s, "tools/call", { name: "any", arguments: {} })).content, [{ type: "text", text: "called" }]);
  } finally {
    await p.close();
    await b.close();
  }
});
