/** The held view: one event per change, none when a probe says what the last one said. */
import assert from "node:assert/strict";
import { test } from "node:test";
import type { ContainerDetails } from "../../src/engine/container-engine.js";
import { containerSpec } from "../../src/orchestrate/container-spec.js";
import { LABEL, type Plan } from "../../src/plan/types.js";
import { FleetStore } from "../../src/serve/fleet-store.js";
import { FakeEngine } from "../support/fake-engine.js";
import type { FleetEventName } from "../../src/serve/fleet-types.js";
import { planOf } from "../support/reconcile-kit.js";
import { fixtureCustomer } from "../support/workspace.js";

/**
 * A container as the engine reports one made from the plan (so it is current), with the state under test.
 * The fake engine reads the spec back like Docker does; the store holds its network, as serve's sync would.
 */
async function current(plan: Plan, service: string, engine = new FakeEngine()) {
  const s = plan.services.find((x) => x.name === service)!;
  const networkId = await engine.createNetwork(s.network.name, s.network.labels);
  const made = (await engine.inspect(await engine.create(containerSpec(s, {}, networkId))))!;
  const networks = await engine.listNetworks({});
  return (more: Partial<ContainerDetails> = {}) => ({
    details: { ...made, state: "running", health: "starting", startedAt: "2026-01-01T00:00:01Z", ...more } as ContainerDetails,
    networks,
  });
}

test("the store emits state, health and probe events once per change", async () => {
  const plan = await planOf({ customers: [fixtureCustomer("Acme")] });
  const store = new FleetStore(plan);
  const alphaIs = await current(plan, "mcp-alpha-acme");
  store.held.networks = alphaIs().networks;
  const container = (more: Partial<ContainerDetails> = {}) => alphaIs(more).details;
  const seen: Array<[FleetEventName, string]> = [];
  store.on((name, data) =>
    seen.push([
      name,
      "service" in data
        ? `${data.service} ${data.state} ${data.health} ${data.verdict}`
        : "id" in data
          ? `${data.id} ${data.state}`
          : String(data.ok),
    ]),
  );
  store.putContainer(container());
  store.putContainer(container());
  store.putProbe("mcp-alpha-acme", { ok: true, latencyMs: 3, tools: ["a"] });
  store.putProbe("mcp-alpha-acme", { ok: true, latencyMs: 4, tools: ["a"] });
  store.putContainer(container({ health: "healthy" }));
  store.putContainer(container({ state: "exited", health: "none", exitCode: 137, settings: { ...container().settings, restart: "no" } }));
  store.configFailed("mcp_servers.json: bad");
  assert.deepEqual(seen, [
    ["state", "mcp-alpha-acme running starting starting"],
    ["customer", "acme partial"],
    ["probe", "mcp-alpha-acme running starting ok"],
    ["health", "mcp-alpha-acme running healthy ok"],
    ["state", "mcp-alpha-acme exited none failing"],
    ["customer", "acme stopped"],
    ["config", "false"],
  ]);
  const alpha = store.servers().find((v) => v.service === "mcp-alpha-acme")!;
  assert.equal(alpha.error, "exit code 137");
  assert.deepEqual(alpha.tools, [], "a stopped server lists no tools");
  assert.equal(store.fleet().config.ok, false);
  assert.deepEqual(store.customers(), [{ id: "acme", name: "Acme", mcp_types: ["alpha", "beta"], state: "stopped" }]);
  store.putContainer(container({ startedAt: "2026-01-01T00:05:00Z" }));
  assert.equal(store.customers()[0]!.state, "partial");
  assert.equal(store.servers().find((v) => v.service === "mcp-beta-acme")!.error, "no container (mcps start creates it)");
});

test("serve's view gives the verdict status gives: a stale and a misconfigured container are not ok, on the page and in /api/status", async () => {
  const plan = await planOf({ customers: [fixtureCustomer("Acme"), fixtureCustomer("Bolt")] });
  const store = new FleetStore(plan);
  const engine = new FakeEngine();
  const acme = await current(plan, "mcp-alpha-acme", engine);
  const bolt = await current(plan, "mcp-alpha-bolt", engine);
  store.held.networks = bolt().networks;
  store.putContainer(acme({ health: "healthy", labels: { ...acme().details.labels, [LABEL.hash]: "old" } }).details);
  store.putContainer(bolt({ health: "healthy", emptyEnv: ["ALPHA_TOKEN"] }).details);
  store.putProbe("mcp-alpha-acme", { ok: true, latencyMs: 3, tools: ["a"] });
  store.putProbe("mcp-alpha-bolt", { ok: true, latencyMs: 3, tools: ["b"] });
  const views = store
    .servers()
    .filter((v) => v.type === "alpha")
    .map((v) => [v.service, v.verdict, v.ok]);
  assert.deepEqual(views, [
    ["mcp-alpha-acme", "stale", false],
    ["mcp-alpha-bolt", "misconfigured", false],
  ]);
  const doc = await store.status();
  const rows = doc.services.filter((s) => s.type === "alpha").map((s) => [s.service, s.verdict, s.ok]);
  assert.deepEqual(rows, views, "the view and /api/status agree");
  const [stale, blank] = store.servers().filter((v) => v.type === "alpha");
  assert.equal(stale!.error, "stale: config changed (mcps start recreates it)");
  assert.deepEqual(stale!.tools, ["a"], "it answered: its tools are known");
  assert.match(blank!.error ?? "", /^misconfigured: set ALPHA_TOKEN_\w+, then mcps start \(blank in the container: ALPHA_TOKEN\)$/);
});

test("the event stream sends each event as one frame and a keepalive comment on its interval", async () => {
  const { EventStream } = await import("../../src/serve/event-stream.js");
  const { PassThrough } = await import("node:stream");
  const stream = new EventStream(20);
  const out = new PassThrough();
  let text = "";
  out.on("data", (c) => (text += c));
  const res = Object.assign(out, { writeHead: () => res }) as unknown as import("node:http").ServerResponse;
  stream.attach(res);
  stream.send("probe", { service: "mcp-alpha-acme", error: "line one\nline two" });
  await new Promise((r) => setTimeout(r, 60));
  stream.close();
  assert.ok(text.startsWith(": connected\n\nevent: probe\ndata: {"), text);
  assert.ok(text.includes('"error":"line one\\nline two"}\n\n'), "data stays on one line");
  assert.ok(text.includes(": keepalive\n\n"));
});

test("the store's lookups by service and by customer follow a replaced plan, and agree with servers()", async () => {
  const plan = await planOf({ customers: [fixtureCustomer("Acme"), fixtureCustomer("Bolt")] });
  const store = new FleetStore(plan);
  const acme = store.customerServices("acme").map((s) => s.name);
  assert.deepEqual(
    acme,
    plan.services.filter((s) => s.customerId === "acme").map((s) => s.name),
  );
  assert.ok(acme.length > 0);
  for (const v of store.servers()) assert.equal(store.view(v.service), v);
  assert.equal(store.service(acme[0]!)?.customerId, "acme");
  assert.deepEqual([...store.customerIds()].sort(), ["acme", "bolt"]);
  store.setPlan(await planOf({ customers: [fixtureCustomer("Bolt")] }));
  assert.deepEqual([...store.customerIds()], ["bolt"]);
  assert.deepEqual(store.customerServices("acme"), []);
  assert.equal(store.service(acme[0]!), undefined);
  assert.equal(store.view(acme[0]!), undefined);
  assert.ok(store.customerServices("bolt").length > 0);
});
