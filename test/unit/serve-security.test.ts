/** The rules of who may talk to `mcps serve`: options checked at start, Host / Origin / token per request. */
import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { test } from "node:test";
import { UsageError } from "../../src/errors.js";
import { parseServeOptions } from "../../src/serve/options.js";
import { checkRequest, guardFor, tokenMatches } from "../../src/serve/security.js";
import { engineWithImages, scriptedProbe } from "../support/reconcile-kit.js";
import { call, sseReader, serveWorkspace, until } from "../support/serve.js";
import { fixtureCustomer } from "../support/workspace.js";

const CREDENTIALS = "ALPHA_TOKEN_ACME=x\n";
const raw = { listen: "127.0.0.1:7070", probeInterval: "10s" };

test("options: bad durations, listen addresses and tokens are one usage error each", () => {
  const bad: Array<[Record<string, string | string[]>, RegExp, NodeJS.ProcessEnv?]> = [
    [{ idleStop: "5x" }, /^--idle-stop "5x": expected a duration like 15s, 5m or 1h$/],
    [{ idleStop: "0s" }, /--idle-stop/],
    [{ probeInterval: "often" }, /--probe-interval/],
    [{ listen: "example.com:80" }, /--listen "example.com:80": expected ADDRESS:PORT/],
    [{ listen: "127.0.0.1:99999" }, /--listen/],
    [{ listen: "0.0.0.0:7070" }, /not a loopback address: it needs --token-env VAR/],
    [{ listen: "0.0.0.0:7070", tokenEnv: "SERVE_TOKEN" }, /--token-env SERVE_TOKEN: the variable is not set or empty/, { SERVE_TOKEN: "" }],
    [{ tokenEnv: "no-such=name" }, /--token-env "no-such=name"/],
    [{ buildArg: ["BASE_IMAGE"] }, /^--build-arg "BASE_IMAGE": expected KEY=VALUE$/],
    [{ wakeTimeout: "soon" }, /^--wake-timeout "soon": expected a duration like 15s, 5m or 1h$/],
  ];
  for (const [more, message, env] of bad) {
    assert.throws(
      () => parseServeOptions({ ...raw, ...more }, env ?? {}),
      (e: unknown) => e instanceof UsageError && message.test(e.message) && !e.message.includes("\n"),
      JSON.stringify(more),
    );
  }
  assert.deepEqual(parseServeOptions({ ...raw, idleStop: "1h30m" }, {}), {
    host: "127.0.0.1",
    port: 7070,
    wakeTimeoutMs: 60_000,
    probeIntervalMs: 10_000,
    idleStopMs: 5_400_000,
    buildArgs: {},
  });
  assert.deepEqual(parseServeOptions({ ...raw, buildArg: ["BASE_IMAGE=mcps-test-base:bookworm", "X=a=b"] }, {}).buildArgs, {
    BASE_IMAGE: "mcps-test-base:bookworm",
    X: "a=b",
  });
  const open = parseServeOptions({ ...raw, listen: "0.0.0.0:7070", tokenEnv: "T" }, { T: "s3cret" });
  assert.equal(open.token, "s3cret");
});

test("the guard: Host must be the listen address or localhost:<port>; a POST's Origin must be same-origin; the token is checked", () => {
  const g = guardFor({ host: "127.0.0.1", port: 7070 });
  const req = (headers: { host?: string; origin?: string; authorization?: string }, method = "GET") => checkRequest(g, { method, headers });
  assert.equal(req({ host: "127.0.0.1:7070" }), undefined);
  assert.equal(req({ host: "localhost:7070" }), undefined);
  assert.equal(req({ host: "evil.example:7070" })?.status, 421);
  assert.equal(req({ host: "127.0.0.1:7071" })?.status, 421);
  assert.equal(req({})?.status, 421);
  assert.equal(req({ host: "127.0.0.1:7070" }, "POST"), undefined, "programs send no Origin");
  assert.equal(req({ host: "127.0.0.1:7070", origin: "http://127.0.0.1:7070" }, "POST"), undefined);
  assert.equal(req({ host: "127.0.0.1:7070", origin: "http://evil.example" }, "POST")?.status, 403);
  assert.equal(req({ host: "127.0.0.1:7070", origin: "null" }, "POST")?.status, 403);
  assert.equal(req({ host: "localhost:7070", origin: "http://127.0.0.1:7070" }, "POST")?.status, 403, "another origin, even on loopback");
  const t = guardFor({ host: "0.0.0.0", port: 7070 }, "s3cret");
  assert.equal(checkRequest(t, { method: "GET", headers: { host: "127.0.0.1:7070" } })?.status, 401);
  assert.equal(checkRequest(t, { method: "GET", headers: { host: "127.0.0.1:7070", authorization: "Bearer wrong" } })?.status, 401);
  assert.equal(checkRequest(t, { method: "GET", headers: { host: "127.0.0.1:7070", authorization: "Bearer s3cret" } }), undefined);
  // The dashboard's files need no token, but the Host rule still holds for them.
  assert.equal(checkRequest(t, { method: "GET", path: "/assets/dashboard.js", headers: { host: "127.0.0.1:7070" } }), undefined);
  assert.equal(checkRequest(t, { method: "GET", path: "/", headers: { host: "evil.example" } })?.status, 421);
  assert.equal(checkRequest(t, { method: "POST", path: "/", headers: { host: "127.0.0.1:7070" } })?.status, 401);
  assert.equal(checkRequest(t, { method: "GET", path: "/assets/a/b", headers: { host: "127.0.0.1:7070" } })?.status, 401);
  assert.ok(tokenMatches("a", "a") && !tokenMatches("a", "ab"));
});

test("over HTTP: a rebinding Host and a cross-origin POST are refused and change nothing", async () => {
  const engine = engineWithImages();
  const s = await serveWorkspace({ customers: [fixtureCustomer("Acme")] }, engine, { probe: scriptedProbe(), credentials: CREDENTIALS });
  try {
    const port = s.handle.port;
    const rebound = await call(s.base, "/api/customers/switch", {
      method: "POST",
      headers: { host: `evil.example:${port}` },
      body: { customer: "acme" },
    });
    assert.equal(rebound.status, 421);
    assert.equal(rebound.json().error.code, "misdirected_request");
    const cross = await call(s.base, "/api/customers/switch", {
      method: "POST",
      headers: { origin: "http://evil.example" },
      body: { customer: "acme" },
    });
    assert.equal(cross.status, 403);
    assert.equal(cross.json().error.code, "cross_origin");
    assert.equal(engine.containers.size, 0, "nothing was created");
    const same = await call(s.base, "/api/customers/acme/start", { method: "POST", headers: { origin: `http://127.0.0.1:${port}` } });
    assert.equal(same.status, 200);
    assert.equal((await call(s.base, "/api/fleet", { headers: { host: `localhost:${port}` } })).status, 200);
  } finally {
    await s.handle.close();
    rmSync(s.dir, { recursive: true, force: true });
  }
});

test("over HTTP: with a token every request but the dashboard's files needs it, the event stream included", async () => {
  const engine = engineWithImages();
  const s = await serveWorkspace({ customers: [fixtureCustomer("Acme")] }, engine, {
    probe: scriptedProbe(),
    credentials: CREDENTIALS,
    tokenEnv: "SERVE_TEST_TOKEN",
    env: { SERVE_TEST_TOKEN: "tok-123" },
  });
  try {
    for (const p of ["/healthz", "/api/fleet", "/api/events", "/metrics", "/assets/../api/fleet", "/assets"]) {
      const r = await call(s.base, p, { timeoutMs: 5000 });
      assert.equal(r.status, 401, p);
      assert.equal(r.json().error.code, "unauthorized");
    }
    // The page must load before it can ask for the token; it holds no fact about the fleet.
    for (const p of ["/", "/assets/dashboard.js"]) assert.equal((await call(s.base, p)).status, 200, p);
    assert.equal((await call(s.base, "/", { method: "POST", headers: {} })).status, 401, "only reads are open");
    assert.equal((await call(s.base, "/healthz", { headers: { authorization: "Bearer tok-12" } })).status, 401);
    assert.equal((await call(s.base, "/healthz", { headers: { authorization: "Bearer tok-123" } })).status, 200);
    const sse = sseReader(s.base, { authorization: "Bearer tok-123" });
    await until(() => sse.comments.includes("connected"), 5000, "the event stream to open");
    sse.close();
  } finally {
    await s.handle.close();
    rmSync(s.dir, { recursive: true, force: true });
  }
});
