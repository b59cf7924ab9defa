/** The dashboard's pure module (assets/dashboard/fleet.js), without a browser. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { applyEvent, backoffMs, type CustomerView, cellView, matchesFilter, type SseEvent, sseParser } from "../../assets/dashboard/fleet.js";
import { fleetOf, server } from "../support/dashboard-fake-api.js";

test("SSE parsing: events split anywhere across chunks, CRLF split between chunks, comments, multi-line data", () => {
  const seen: SseEvent[] = [];
  const push = sseParser((e) => seen.push(e));
  const stream = ': keepalive\r\n\r\nevent: state\r\ndata: {"a":1}\r\n\r\nevent: config\ndata: line one\ndata:line two\n\ndata: plain\n\n: bye\n\n';
  // Every split point, including between \r and \n.
  for (let cut = 0; cut <= stream.length; cut++) {
    seen.length = 0;
    const p = sseParser((e) => seen.push(e));
    p(stream.slice(0, cut));
    p(stream.slice(cut));
    assert.deepEqual(
      seen,
      [
        { type: "state", data: '{"a":1}' },
        { type: "config", data: "line one\nline two" },
        { type: "message", data: "plain" },
      ],
      `cut at ${cut}`,
    );
  }
  seen.length = 0;
  push("event: probe\ndata: {}\n");
  assert.deepEqual(seen, [], "an event without its blank line is not dispatched yet");
  push("\n");
  assert.deepEqual(seen, [{ type: "probe", data: "{}" }]);
});

test("a cell shows the verdict serve sent: its tone, icon and word; the page decides nothing", () => {
  const base = server("acme", "Acme", "grafana", 1);
  assert.deepEqual(cellView(base), {
    tone: "ok",
    icon: "✔",
    state: "running",
    verdict: "ok",
    health: "healthy",
    mcp: "MCP ok",
    latency: "11 ms",
    tools: "2 tools",
  });
  const looks = (["ok", "starting", "stale", "misconfigured", "failing", "stopped"] as const).map((verdict) => {
    const v = cellView({ ...base, verdict, ok: verdict === "ok" });
    return [verdict, v.tone, v.icon, v.verdict];
  });
  assert.deepEqual(looks, [
    ["ok", "ok", "✔", "ok"],
    ["starting", "warn", "▲", "starting"],
    ["stale", "warn", "▲", "stale"],
    ["misconfigured", "bad", "✖", "misconfigured"],
    ["failing", "bad", "✖", "failing"],
    ["stopped", "off", "○", "stopped"],
  ]);
  // A stale container that answers: not ok, yet MCP answered and its tools are known.
  const stale = cellView({ ...base, verdict: "stale", ok: false });
  assert.deepEqual([stale.tone, stale.mcp, stale.tools], ["warn", "MCP ok", "2 tools"]);
  const failing = cellView({ ...base, verdict: "failing", ok: false, health: "none", latencyMs: null, tools: [] });
  assert.deepEqual([failing.tone, failing.mcp, failing.health, failing.tools], ["bad", "MCP failing", "", "– tools"]);
  const stopped = cellView({ ...base, verdict: "stopped", ok: false, state: "exited", health: "none", latencyMs: null, tools: [], probedAt: null });
  assert.deepEqual(
    [stopped.tone, stopped.icon, stopped.latency, stopped.tools, stopped.mcp],
    ["off", "○", "– ms", "– tools", ""],
    "a server that did not answer has no known tool count",
  );
  assert.equal(cellView({ ...base, verdict: "mystery" as "ok" }).tone, "bad", "an unknown verdict is never shown as fine");
  assert.deepEqual([cellView(undefined).tone, cellView(undefined).state], ["none", "not configured"]);
});

test("the filter matches name, id or type, case-insensitively", () => {
  const c: CustomerView = { id: "vattenfall-de", name: "Vattenfall DE", mcp_types: ["grafana", "genesys"], state: "running" };
  for (const q of ["", "  ", "vattenfall", "FALL D", "fall-de", "GENESYS", " grafana "]) assert.equal(matchesFilter(c, q), true, q);
  for (const q of ["acme", "loki", "vattenfall-se"]) assert.equal(matchesFilter(c, q), false, q);
});

test("events update the fleet in place; a customer's state comes from serve's customer event; a config event asks for a reload", () => {
  const fleet = fleetOf(2);
  const change = applyEvent(fleet, { type: "state", data: server("cust-01", "Customer 1", "genesys", 5, { state: "exited" }) });
  assert.equal(change.kind, "cell");
  assert.equal(fleet.servers.find((s) => s.customer === "cust-01" && s.type === "genesys")!.state, "exited");
  assert.equal(fleet.customers[1]!.state, "running", "the page does not derive a customer's state");
  const customer = applyEvent(fleet, { type: "customer", data: { id: "cust-01", state: "partial" } });
  assert.equal(customer.kind, "customer");
  assert.equal(fleet.customers[1]!.state, "partial");
  assert.equal(fleet.customers[0]!.state, "running");
  assert.deepEqual(applyEvent(fleet, { type: "customer", data: { id: "nobody", state: "partial" } }), { kind: "none" });
  assert.equal(fleet.servers.length, 6);
  assert.deepEqual(applyEvent(fleet, { type: "config", data: { ok: true, error: null, services: 6 } }), { kind: "reload" });
  assert.deepEqual(applyEvent(fleet, { type: "mystery", data: {} }), { kind: "none" });
  assert.deepEqual(applyEvent(fleet, { type: "probe", data: { nonsense: true } }), { kind: "none" });
  assert.deepEqual(applyEvent(fleet, { type: "probe", data: null }), { kind: "none" });
  assert.equal(fleet.servers.length, 6);
});

test("reconnect backoff doubles from 1 s, is capped at 30 s and jitters by at most 20%", () => {
  assert.deepEqual(
    [0, 1, 2, 3, 4, 5, 6, 20].map((a) => backoffMs(a, () => 0)),
    [1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000],
  );
  assert.equal(
    backoffMs(0, () => 1),
    1200,
  );
  assert.equal(
    backoffMs(10, () => 0.5),
    33000,
  );
});
