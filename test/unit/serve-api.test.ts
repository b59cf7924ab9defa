/** `mcps serve` over the fake engine: switch (single flight, failures), the read routes, errors, metrics. */
import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { createRequire } from "node:module";
import { test } from "node:test";
import { fleetStatus } from "../../src/orchestrate/status.js";
import { statusJson } from "../../src/output/status-json.js";
import { engineWithImages, scriptedProbe } from "../support/reconcile-kit.js";
import { call, type Served, serveWorkspace } from "../support/serve.js";
import { fixtureCustomer } from "../support/workspace.js";

type Family = { name: string; metrics: Array<{ value?: string; labels?: Record<string, string>; buckets?: Record<string, string> }> };
const parseMetrics = createRequire(import.meta.url)("parse-prometheus-text-format") as (text: string) => Family[];

const SECRET = "sekret-value-7f3a";
const CREDENTIALS = `ALPHA_TOKEN_ACME=${SECRET}\nALPHA_TOKEN_BOLT=${SECRET}\n`;
const CONFIG = { customers: [fixtureCustomer("Acme"), fixtureCustomer("Bolt")] };
const post = (s: Served, path: string, body?: unknown) => call(s.base, path, { method: "POST", ...(body !== undefined && { body }) });

async function served(engine = engineWithImages(), probe = scriptedProbe(() => ({ ok: true, tools: ["list", "get"] }))) {
  const s = await serveWorkspace(CONFIG, engine, { probe, credentials: CREDENTIALS });
  const dispose = async () => {
    await s.handle.close();
    rmSync(s.dir, { recursive: true, force: true });
  };
  return { s, engine, probe, [Symbol.asyncDispose]: dispose };
}

test("ten concurrent switches to one customer start it once, and each answers with the tools", async () => {
  await using f = await served();
  const replies = await Promise.all(Array.from({ length: 10 }, () => post(f.s, "/api/customers/switch", { customer: "Acme" })));
  for (const r of replies) {
    assert.equal(r.status, 200);
    assert.deepEqual(r.json(), {
      success: true,
      customer: "acme",
      connected_mcps: ["alpha", "beta"],
      failed_mcps: [],
      tool_count: 4,
      servers: f.s.handle.store.plan.services
        .filter((s) => s.customerId === "acme")
        .map((s) => ({ type: s.type, url: s.url, transport: s.transport, tools: ["list", "get"] })),
      gateway_url: `${f.s.base}/mcp/acme`,
    });
  }
  assert.equal(f.s.handle.ops.startsRun, 1, "one reconcile for ten switches");
  // One tools listing per server is shared by the ten answers. The probe also serves start's wait (once per
  // server here) and the fleet's own probes after the start events; ten listings would make it 12 or more.
  for (const s of f.s.handle.store.plan.services.filter((x) => x.customerId === "acme")) {
    const n = f.probe.calls.filter((u) => u === s.url).length;
    assert.ok(n <= 4, `${s.name} probed ${n} times for ten switches`);
  }
  assert.deepEqual(f.engine.calls.filter((c) => c.startsWith("start ")).sort(), ["start mcp-alpha-acme", "start mcp-beta-acme"]);
  const customers = (await call(f.s.base, "/api/customers")).json();
  assert.deepEqual(customers, {
    customers: [
      { id: "acme", name: "Acme", mcp_types: ["alpha", "beta"], state: "running" },
      { id: "bolt", name: "Bolt", mcp_types: ["alpha", "beta"], state: "stopped" },
    ],
  });
  // A later switch starts nothing new: the reconcile finds it current.
  await post(f.s, "/api/customers/switch", { customer: "acme" });
  assert.equal(f.engine.calls.filter((c) => c.startsWith("start ")).length, 2);
});

test("switch: one failing type is in failed_mcps with its reason; all failing is 200 with success false", async () => {
  await using f = await served();
  f.engine.failStart.add("mcp-beta-acme");
  const one = (await post(f.s, "/api/customers/switch", { customer: "acme" })).json();
  assert.equal(one.success, true);
  assert.deepEqual(one.connected_mcps, ["alpha"]);
  assert.equal(one.failed_mcps.length, 1);
  assert.equal(one.failed_mcps[0].type, "beta");
  assert.match(one.failed_mcps[0].reason, /port is already allocated/);
  assert.equal(one.tool_count, 2);
  f.engine.failStart.add("mcp-alpha-bolt").add("mcp-beta-bolt");
  const all = await post(f.s, "/api/customers/switch", { customer: "Bolt" });
  assert.equal(all.status, 200);
  assert.equal(all.json().success, false);
  assert.deepEqual(
    all.json().failed_mcps.map((m: { type: string }) => m.type),
    ["alpha", "beta"],
  );
});

test("errors: unknown customer 404, bad body 400, wrong method 405, unknown route 404, all in one shape", async () => {
  await using f = await served();
  const cases: Array<[Promise<Awaited<ReturnType<typeof call>>>, number, string]> = [
    [post(f.s, "/api/customers/switch", { customer: "nobody" }), 404, "unknown_customer"],
    [post(f.s, "/api/customers/switch", "{not json"), 400, "bad_request"],
    [post(f.s, "/api/customers/switch", { customer: 3 }), 400, "bad_request"],
    [post(f.s, "/api/customers/nobody/start"), 404, "unknown_customer"],
    [call(f.s.base, "/api/customers/nobody"), 404, "unknown_customer"],
    [post(f.s, "/api/status"), 405, "method_not_allowed"],
    [call(f.s.base, "/api/nothing"), 404, "not_found"],
    [call(f.s.base, "/assets/..%2F..%2Fpackage.json"), 404, "not_found"],
  ];
  for (const [reply, status, code] of cases) {
    const r = await reply;
    assert.equal(r.status, status, r.text);
    assert.equal(r.json().error.code, code);
    assert.equal(typeof r.json().error.message, "string");
  }
  assert.equal(f.engine.calls.filter((c) => c.startsWith("start ")).length, 0, "nothing started by a bad request");
});

test("start and stop per customer; the detail route names tools; /healthz", async () => {
  await using f = await served();
  const started = await post(f.s, "/api/customers/Bolt/start");
  assert.equal(started.status, 200);
  assert.equal(started.json().customer, "bolt");
  assert.deepEqual(
    started.json().services.map((s: { type: string; action: string }) => [s.type, s.action]),
    [
      ["alpha", "created"],
      ["beta", "created"],
    ],
  );
  const detail = (await call(f.s.base, "/api/customers/bolt")).json();
  assert.equal(detail.id, "bolt");
  assert.deepEqual(
    detail.servers.map((s: { type: string; state: string }) => [s.type, s.state]),
    [
      ["alpha", "running"],
      ["beta", "running"],
    ],
  );
  const stopped = (await post(f.s, "/api/customers/bolt/stop")).json();
  assert.deepEqual(
    stopped.services.map((s: { action: string }) => s.action),
    ["stopped", "stopped"],
  );
  assert.equal(f.engine.containers.size, 2, "stopped, not removed");
  assert.equal((await call(f.s.base, "/api/customers")).json().customers[1].state, "stopped");
  const hz = await call(f.s.base, "/healthz");
  assert.equal(hz.text, "ok");
});

test("GET /api/status is the status --json document, answered from the held view", async () => {
  await using f = await served();
  await post(f.s, "/api/customers/switch", { customer: "acme" });
  const before = f.engine.calls.length;
  const held = (await call(f.s.base, "/api/status")).json();
  assert.equal(f.engine.calls.length, before, "no engine call for a status request");
  const plan = f.s.handle.store.plan;
  const fresh = statusJson(
    await fleetStatus(f.engine, plan, plan.services, {
      probe: true,
      concurrency: 4,
      timeoutMs: 1000,
      includeOrphans: true,
      prober: (s) => f.probe(s.url, s.transport, {}),
    }),
  );
  const strip = (d: { checked_at?: string }) => ({ ...d, checked_at: "" });
  assert.deepEqual(strip(held), strip(fresh));
  assert.equal(held.services.filter((s: { verdict: string }) => s.verdict === "ok").length, 2, "the two servers switched to");
});

test("/metrics parses as Prometheus text, labels are ids, and no secret is in any answer", async () => {
  await using f = await served();
  const answers = [(await post(f.s, "/api/customers/switch", { customer: "acme" })).text];
  const text = (await call(f.s.base, "/metrics")).text;
  const families = new Map(parseMetrics(text).map((m) => [m.name, m]));
  for (const name of [
    "mcps_service_up",
    "mcps_mcp_probe_duration_seconds",
    "mcps_mcp_tools",
    "mcps_container_restarts_total",
    "mcps_switch_duration_seconds",
  ]) {
    assert.ok(families.has(name), `${name} in /metrics`);
  }
  const up = families
    .get("mcps_service_up")!
    .metrics.map((m) => [m.labels?.customer, m.labels?.type, m.value])
    .sort((a, b) => String(a).localeCompare(String(b)));
  assert.deepEqual(up, [
    ["acme", "alpha", "1"],
    ["acme", "beta", "1"],
    ["bolt", "alpha", "0"],
    ["bolt", "beta", "0"],
  ]);
  assert.equal(families.get("mcps_mcp_tools")!.metrics[0]!.value, "2");
  // (This parser keeps a histogram's buckets but drops its other labels and its count.)
  assert.equal(families.get("mcps_switch_duration_seconds")!.metrics[0]!.buckets?.["+Inf"], "1");
  for (const p of ["/api/fleet", "/api/status", "/api/customers", "/api/customers/acme"]) answers.push((await call(f.s.base, p)).text);
  for (const a of [...answers, text, ...f.s.logs]) assert.ok(!a.includes(SECRET), "a secret value in an answer");
});

test("switches to different customers run at the same time (up to the bound)", async () => {
  const engine = engineWithImages();
  const creating = new Map<string, number>();
  let overlapped = false;
  engine.beforeCreate = async (spec) => {
    const customer = spec.labels["mcps.customer"] ?? "";
    creating.set(customer, (creating.get(customer) ?? 0) + 1);
    if ([...creating.values()].filter((n) => n > 0).length > 1) overlapped = true;
    await new Promise((r) => setTimeout(r, 50));
    creating.set(customer, creating.get(customer)! - 1);
  };
  await using f = await served(engine);
  const [acme, bolt] = await Promise.all([
    post(f.s, "/api/customers/switch", { customer: "acme" }),
    post(f.s, "/api/customers/switch", { customer: "bolt" }),
  ]);
  assert.equal(acme.json().success && bolt.json().success, true);
  assert.equal(f.s.handle.ops.startsRun, 2);
  assert.ok(overlapped, "creates of the two customers overlapped");
});
