/**
 * `mcps serve`'s HTTP edge with raw sockets (a client can send what fetch and node's own client never
 * would): odd Host headers, request targets, bodies and slow clients. Every refusal changes nothing.
 */
import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { connect, createServer } from "node:net";
import { test } from "node:test";
import { UsageError } from "../../src/errors.js";
import { engineWithImages, scriptedProbe } from "../support/reconcile-kit.js";
import { serveWorkspace, until } from "../support/serve.js";
import { fixtureCustomer } from "../support/workspace.js";

/** Sends raw bytes; resolves with what came back when the server closes (or after waitMs). */
function raw(port: number, text: string, waitMs = 3000): Promise<{ status: number; body: string; closed: boolean }> {
  return new Promise((resolve) => {
    const s = connect(port, "127.0.0.1");
    let out = "";
    const done = (closed: boolean) => {
      clearTimeout(timer);
      s.destroy();
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(out)?.[1] ?? 0);
      resolve({ status, body: out.slice(out.indexOf("\r\n\r\n") + 4), closed });
    };
    const timer = setTimeout(() => done(false), waitMs);
    s.on("data", (d) => (out += d));
    s.on("close", () => done(true));
    s.on("error", () => undefined);
    s.write(text);
  });
}

async function served(more: { requestTimeoutMs?: number } = {}) {
  const engine = engineWithImages();
  const s = await serveWorkspace({ customers: [fixtureCustomer("Acme")] }, engine, {
    probe: scriptedProbe(() => ({ ok: true, tools: ["a"] })),
    credentials: "ALPHA_TOKEN_ACME=x\n",
    ...more,
  });
  const dispose = async () => {
    await s.handle.close();
    rmSync(s.dir, { recursive: true, force: true });
  };
  return { s, engine, port: s.handle.port, host: `127.0.0.1:${s.handle.port}`, [Symbol.asyncDispose]: dispose };
}

const get = (target: string, headers: string) => `GET ${target} HTTP/1.1\r\n${headers}Connection: close\r\n\r\n`;

test("Host: only the listen address or localhost:<port>, in one header; anything else is refused", async () => {
  await using f = await served();
  const p = f.port;
  const cases: Array<[string, number]> = [
    [`Host: ${f.host}\r\n`, 200],
    [`Host: LOCALHOST:${p}\r\n`, 200],
    [`Host: 127.0.0.1:${p}.evil.com\r\n`, 421],
    [`Host: localhost.:${p}\r\n`, 421],
    [`Host: [::1]:${p}\r\n`, 421],
    [`Host: user@${f.host}\r\n`, 421],
    [`Host: ${f.host}\r\nHost: evil.example\r\n`, 400],
    [`Host: evil.example\r\nHost: ${f.host}\r\n`, 400],
  ];
  for (const [headers, status] of cases) assert.equal((await raw(p, get("/healthz", headers))).status, status, headers);
  assert.equal((await raw(p, "GET /healthz HTTP/1.0\r\n\r\n")).status, 421, "HTTP/1.0 without Host");
  assert.equal((await raw(p, "GET /healthz HTTP/1.1\r\nConnection: close\r\n\r\n")).status, 400, "HTTP/1.1 without Host");
});

test("request targets: only a plain path; absolute-form and // are refused, dot segments find nothing", async () => {
  await using f = await served();
  const h = `Host: ${f.host}\r\n`;
  const absolute = await raw(f.port, get("http://evil.example/api/customers", h));
  assert.equal(absolute.status, 400, "absolute-form names another authority than Host");
  assert.doesNotMatch(absolute.body, /acme/);
  const schemeless = await raw(f.port, get("//x/api/customers", h));
  assert.equal(schemeless.status, 400, "//x/api/customers is not /api/customers");
  assert.doesNotMatch(schemeless.body, /acme/);
  assert.equal((await raw(f.port, `OPTIONS * HTTP/1.1\r\n${h}Connection: close\r\n\r\n`)).status, 400);
  for (const target of [
    "/api/customers/%2e%2e",
    "/api/customers/..%2f",
    "/assets/%2e%2e/package.json",
    "/assets/..%2fpackage.json",
    "/assets/app.js%00.js",
  ]) {
    const r = await raw(f.port, get(target, h));
    assert.equal(r.status, 404, target);
    assert.doesNotMatch(r.body, /"name"\s*:\s*"@?mcps|dependencies/, target);
  }
  assert.equal((await raw(f.port, get("/api/customers", h))).status, 200);
});

test("HEAD /api/events answers and ends instead of holding a stream open", async () => {
  await using f = await served();
  const r = await raw(f.port, `HEAD /api/events HTTP/1.1\r\nHost: ${f.host}\r\nConnection: close\r\n\r\n`, 3000);
  assert.equal(r.status, 200);
  assert.ok(r.closed, "the server ended the response");
});

test("switch bodies: a form or text type is 415, a non-string customer 400, __proto__ an unknown customer; nothing starts", async () => {
  await using f = await served();
  const post = (type: string | undefined, body: string) =>
    raw(
      f.port,
      `POST /api/customers/switch HTTP/1.1\r\nHost: ${f.host}\r\n${type ? `Content-Type: ${type}\r\n` : ""}Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  for (const type of ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/jsonx"]) {
    assert.equal((await post(type, '{"customer":"acme"}')).status, 415, type);
  }
  assert.equal((await post(undefined, '{"customer": {"toString": 1}}')).status, 400);
  assert.equal((await post("application/json", '{"__proto__": {"customer": "acme"}}')).status, 400);
  assert.equal((await post("application/json", '{"customer": "__proto__"}')).status, 404);
  assert.equal((await post("application/json", '{"customer": "constructor"}')).status, 404);
  assert.equal(f.engine.containers.size, 0, "nothing was created");
  assert.equal((await post("application/json; charset=utf-8", '{"customer":"acme"}')).status, 200);
});

test("bodies: over 16 KiB is 413; a body that never ends is cut off by the request timeout", async () => {
  await using f = await served({ requestTimeoutMs: 500 });
  const big = "x".repeat(17 * 1024);
  const head = (length: number) =>
    `POST /api/customers/switch HTTP/1.1\r\nHost: ${f.host}\r\nContent-Type: application/json\r\nContent-Length: ${length}\r\nConnection: close\r\n\r\n`;
  assert.equal((await raw(f.port, head(big.length) + big)).status, 413);
  const t0 = Date.now();
  const slow = await raw(f.port, `${head(100)}{"customer"`, 5000);
  assert.ok(slow.closed, "the server closed the connection");
  assert.equal(slow.status, 408);
  assert.ok(Date.now() - t0 < 4000, `cut off after ${Date.now() - t0} ms`);
  assert.equal(f.engine.containers.size, 0);
});

test("a --listen address in use is one usage line, and nothing keeps running (the CLI would never exit)", async () => {
  const blocker = createServer();
  await new Promise<void>((r) => blocker.listen(0, "127.0.0.1", r));
  const port = (blocker.address() as { port: number }).port;
  const engine = engineWithImages();
  try {
    await assert.rejects(
      serveWorkspace({ customers: [fixtureCustomer("Acme")] }, engine, { probe: scriptedProbe(), credentials: "", listen: `127.0.0.1:${port}` }),
      (e: unknown) => e instanceof UsageError && e.message === `--listen 127.0.0.1:${port}: the address is in use (another mcps serve?)`,
    );
    // The event subscription the sync opened is closed again.
    const followers = engine as unknown as { listeners: Set<unknown> };
    await until(() => followers.listeners.size === 0, 2000, "the sync to stop following events");
  } finally {
    blocker.close();
  }
});
