/**
 * 2025-11-25 clients with sessions on /mcp/<customer>: the SDK v1 client gets an mcp-session-id, its
 * listening GET stream is told when the tool set changes, DELETE ends it; sessions are bound to the
 * customer and the caller; the table is bounded (a cap with least-recently-used eviction, idle expiry).
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { Client as LegacyClient } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport as LegacyTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { fleet, TOKENS } from "../support/gateway-fleet.js";
import { textOf } from "../support/gateway-kit.js";
import { call, until } from "../support/serve.js";

/** The SDK v1 client (2025-11-25, sessions); it opens its listening GET stream after initialize. */
async function sessionClient(url: string, onToolsChanged?: () => void) {
  const client = new LegacyClient(
    { name: "gateway-session-test", version: "1.0.0" },
    onToolsChanged ? { listChanged: { tools: { autoRefresh: false, debounceMs: 0, onChanged: onToolsChanged } } } : {},
  );
  const transport = new LegacyTransport(new URL(url));
  await client.connect(transport);
  return { client, transport };
}

const HEADERS = { "content-type": "application/json", accept: "application/json, text/event-stream" };

function initialize(base: string, customer: string, headers: Record<string, string> = {}) {
  return call(base, `/mcp/${customer}`, {
    method: "POST",
    headers: { ...HEADERS, ...headers },
    body: {
      jsonrpc: "2.0",
      id: 1,
      method: "initialize",
      params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "raw", version: "1" } },
    },
  });
}

function toolsList(base: string, customer: string, session: string, headers: Record<string, string> = {}) {
  return call(base, `/mcp/${customer}`, {
    method: "POST",
    headers: { ...HEADERS, "mcp-protocol-version": "2025-11-25", "mcp-session-id": session, ...headers },
    body: { jsonrpc: "2.0", id: 2, method: "tools/list" },
  });
}

test("a 2025 client gets a session: it lists and calls, its GET stream hears list_changed on a backend stop and a reload, DELETE ends it", async () => {
  await using f = await fleet();
  await f.s.handle.ops.start("acme");
  let changed = 0;
  const { client, transport } = await sessionClient(f.url("acme"), () => void changed++);
  try {
    assert.match(String(transport.sessionId), /^[0-9a-f-]{36}$/, "an mcp-session-id was handed out");
    assert.equal(f.sessions(), 1);
    const names = (await client.listTools()).tools.map((t) => t.name).sort();
    assert.deepEqual(names, ["north_get", "north_search", "south_search"]);
    assert.equal(textOf(await client.callTool({ name: "north_get", arguments: { text: "s" } })), "north:get:s");

    const c = f.engine.byName("mcp-south-acme")!;
    await f.south.close();
    Object.assign(c, { state: "restarting", health: "none" });
    f.engine.emit({ id: c.id, action: "die", labels: c.labels });
    await until(() => changed > 0, 5000, "notifications/tools/list_changed on the session's GET stream after a backend stop");
    assert.ok(!(await client.listTools()).tools.some((t) => t.name.startsWith("south_")));

    const before = changed;
    const next = structuredClone(f.config);
    (next.customers[0]!.mcp_servers[0] as Record<string, unknown>).tools = { deny: ["get"] };
    f.s.writeConfig(next);
    await f.s.handle.reload();
    await until(() => changed > before, 5000, "notifications/tools/list_changed after the reload");
    assert.deepEqual(
      (await client.listTools()).tools.map((t) => t.name),
      ["north_search"],
    );

    const id = transport.sessionId!;
    await transport.terminateSession();
    assert.equal(f.sessions(), 0, "DELETE closed the session");
    const after = await toolsList(f.s.base, "acme", id);
    assert.equal(after.status, 404, after.text);
  } finally {
    await client.close();
  }
});

test("a session is bound to its customer and its caller: on another customer's path or with another token it is 404", async () => {
  await using f = await fleet({ tokens: true });
  const opened = await initialize(f.s.base, "acme", { authorization: `Bearer ${TOKENS.ACME_GATEWAY_TOKEN}` });
  assert.equal(opened.status, 200, opened.text);
  const id = String(opened.headers["mcp-session-id"]);
  assert.match(id, /^[0-9a-f-]{36}$/);
  const own = await toolsList(f.s.base, "acme", id, { authorization: `Bearer ${TOKENS.ACME_GATEWAY_TOKEN}` });
  assert.equal(own.status, 200, own.text);
  assert.match(own.text, /north_search/);
  const otherCaller = await toolsList(f.s.base, "acme", id, { authorization: `Bearer ${TOKENS.ADMIN_TOKEN}` });
  assert.equal(otherCaller.status, 404, "serve's token is another caller: the session is not its own");
  const otherCustomer = await toolsList(f.s.base, "bolt", id, { authorization: `Bearer ${TOKENS.ADMIN_TOKEN}` });
  assert.equal(otherCustomer.status, 404, "another customer's path does not know the session");
  assert.ok(!otherCustomer.text.includes("north_search"));
  const unknown = await toolsList(f.s.base, "acme", "00000000-0000-4000-8000-000000000000", {
    authorization: `Bearer ${TOKENS.ACME_GATEWAY_TOKEN}`,
  });
  assert.equal(unknown.status, 404);
  const listen = await call(f.s.base, "/mcp/bolt", {
    method: "DELETE",
    headers: { "mcp-session-id": id, "mcp-protocol-version": "2025-11-25", authorization: `Bearer ${TOKENS.ADMIN_TOKEN}` },
  });
  assert.equal(listen.status, 404, "nor can it be ended from there");
  assert.equal(f.sessions(), 1);
});

/** A full collection, so heap figures compare what is held rather than what the collector left. */
function collector(): () => void {
  setFlagsFromString("--expose-gc");
  return runInNewContext("gc") as () => void;
}

test("1,000 initializes: the table stays within the cap, the least recently used session goes first, and the heap stays bounded", async () => {
  const CAP = 50;
  await using f = await fleet({ sessions: { maxSessions: CAP } });
  const gc = collector();
  const first = String((await initialize(f.s.base, "acme")).headers["mcp-session-id"]);
  const kept = String((await initialize(f.s.base, "acme")).headers["mcp-session-id"]);
  // Filled to the cap first: what the first sessions cost (code, pools) is not counted below.
  for (let i = 0; i < 3; i++) {
    await Promise.all(Array.from({ length: 20 }, () => initialize(f.s.base, "bolt")));
    assert.equal((await toolsList(f.s.base, "acme", kept)).status, 200);
  }
  gc();
  const heapBefore = process.memoryUsage().heapUsed;
  let peak = 0;
  for (let batch = 0; batch < 50; batch++) {
    // The second session is used between batches (fewer than the cap): it stays among the recently used.
    assert.equal((await toolsList(f.s.base, "acme", kept)).status, 200, `batch ${batch}`);
    const replies = await Promise.all(Array.from({ length: 20 }, () => initialize(f.s.base, batch % 2 ? "acme" : "bolt")));
    for (const r of replies) assert.equal(r.status, 200, r.text);
    peak = Math.max(peak, f.sessions());
  }
  assert.ok(peak <= CAP, `at most ${CAP} sessions held, saw ${peak}`);
  assert.equal(f.sessions(), CAP);
  assert.equal((await toolsList(f.s.base, "acme", first)).status, 404, "the least recently used was closed");
  assert.equal((await toolsList(f.s.base, "acme", kept)).status, 200, "a session in use was kept");
  // Held, 1,000 more sessions are about 8 MiB here; evicted ones are freed once their closes and
  // sockets have settled, so the heap after a full collection comes back to within a few MiB.
  const grown = () => {
    gc();
    return (process.memoryUsage().heapUsed - heapBefore) / 2 ** 20;
  };
  await until(() => grown() < 5, 10_000, "the heap to come back within 5 MiB of where it was before 1,000 sessions");
});

test("idle sessions expire; a session whose client listens does not", async () => {
  await using f = await fleet({ sessions: { idleMs: 300 } });
  // The v1 client keeps its GET stream open: listening is use.
  const { client } = await sessionClient(f.url("acme"));
  try {
    const raw = await initialize(f.s.base, "acme");
    assert.equal(raw.status, 200);
    assert.equal(f.sessions(), 2);
    // The raw session, opened after the listening one, expires: the sweep has passed both idle times.
    await until(() => f.sessions() === 1, 10_000, "the idle session to expire");
    assert.equal((await toolsList(f.s.base, "acme", String(raw.headers["mcp-session-id"]))).status, 404);
    assert.ok((await client.listTools()).tools.length > 0, "the listening session still works");
    await client.close();
    await until(() => f.sessions() === 0, 10_000, "the session to expire once its client stopped listening");
  } finally {
    await client.close();
  }
});

test("a 2025 request with no session that is not initialize is still answered statelessly, and GET without a session is 405", async () => {
  await using f = await fleet();
  const r = await call(f.s.base, "/mcp/acme", {
    method: "POST",
    headers: { ...HEADERS, "mcp-protocol-version": "2025-11-25" },
    body: { jsonrpc: "2.0", id: 3, method: "tools/list" },
  });
  assert.equal(r.status, 200, r.text);
  assert.match(r.text, /north_search/);
  assert.equal(r.headers["mcp-session-id"], undefined);
  const get = await call(f.s.base, "/mcp/acme", { headers: { accept: "text/event-stream", "mcp-protocol-version": "2025-11-25" } });
  assert.equal(get.status, 405);
  assert.equal(f.sessions(), 0);
});

test("one customer filling its own bound evicts its own quiet sessions, never another customer's", async () => {
  await using f = await fleet({ sessions: { maxPerCustomer: 5, maxSessions: 20 } });
  const bolt = String((await initialize(f.s.base, "bolt")).headers["mcp-session-id"]);
  for (let i = 0; i < 30; i++) assert.equal((await initialize(f.s.base, "acme")).status, 200);
  assert.equal(f.sessions("acme"), 5, "acme holds its own bound");
  assert.equal((await toolsList(f.s.base, "bolt", bolt)).status, 200, "bolt's session was not pushed out");
});

test("a listening session is not evicted: with every session listening and the bound reached, a new one is refused (503)", async () => {
  await using f = await fleet({ sessions: { maxPerCustomer: 2, maxSessions: 20 } });
  const a = await sessionClient(f.url("acme"));
  const b = await sessionClient(f.url("acme"));
  try {
    // Both clients keep their GET streams open (the v1 client opens one after initialize).
    await until(() => f.listening("acme") === 2, 5000, "both GET streams open");
    const third = await initialize(f.s.base, "acme");
    assert.equal(third.status, 503, third.text);
    assert.equal(third.headers["mcp-session-id"], undefined);
    assert.ok((await a.client.listTools()).tools.length > 0, "the first listening session still works");
    assert.ok((await b.client.listTools()).tools.length > 0, "the second too");
  } finally {
    await a.client.close();
    await b.client.close();
  }
});

test("a GET the session refuses (a wrong Accept) is not a listener: the session still expires", async () => {
  await using f = await fleet({ sessions: { idleMs: 300 } });
  const id = String((await initialize(f.s.base, "acme")).headers["mcp-session-id"]);
  const refused = await call(f.s.base, "/mcp/acme", {
    headers: { accept: "application/json", "mcp-protocol-version": "2025-11-25", "mcp-session-id": id },
  });
  assert.ok(refused.status >= 400, `refused: ${refused.status}`);
  await until(() => f.sessions() === 0, 10_000, "the session to expire");
});

test("mcps_gateway_sessions counts each customer's open sessions, 0 for one without", async () => {
  await using f = await fleet();
  for (let i = 0; i < 2; i++) assert.equal((await initialize(f.s.base, "acme")).status, 200);
  const text = (await call(f.s.base, "/metrics")).text;
  const value = (c: string) => new RegExp(`^mcps_gateway_sessions\\{customer="${c}"\\} (\\S+)$`, "m").exec(text)?.[1];
  assert.equal(value("acme"), "2");
  assert.equal(value("bolt"), "0");
});
