/** --idle-stop with a moved clock, and config reload (good and bad) over the fake engine. */
import assert from "node:assert/strict";
import { rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { startServices } from "../../src/orchestrate/start.js";
import { engineWithImages, planOf, scriptedProbe } from "../support/reconcile-kit.js";
import { call, sseReader, serveWorkspace, until } from "../support/serve.js";
import { fixtureCustomer } from "../support/workspace.js";

const CREDENTIALS = "ALPHA_TOKEN_ACME=x\nALPHA_TOKEN_BOLT=x\nALPHA_TOKEN_CARA=x\n";
const MIN = 60_000;

test("idle stop: customers unused for the idle time are stopped (not removed); one found running counts as used at start", async () => {
  const engine = engineWithImages();
  const config = { customers: [fixtureCustomer("Acme"), fixtureCustomer("Bolt"), fixtureCustomer("Cara")] };
  // Bolt runs before serve starts.
  const plan = await planOf(config);
  await startServices(
    engine,
    plan,
    plan.services.filter((s) => s.customerId === "bolt"),
    () => "x",
    { concurrency: 4, rebuild: false, buildArgs: {} },
  );
  let t = 1_000_000;
  const s = await serveWorkspace(config, engine, {
    probe: scriptedProbe(),
    credentials: CREDENTIALS,
    idleStop: "30m",
    now: () => t,
    idleSweepMs: 3_600_000,
  });
  try {
    t += 20 * MIN;
    await call(s.base, "/api/customers/switch", { method: "POST", body: { customer: "acme" } });
    t += 11 * MIN; // bolt: 31 min since serve started; acme: 11 min since its switch
    assert.deepEqual(await s.handle.sweepIdle(), ["bolt"]);
    const state = (name: string) => engine.byName(name)?.state;
    assert.equal(state("mcp-alpha-bolt"), "exited");
    assert.equal(state("mcp-alpha-acme"), "running");
    t += 18 * MIN;
    assert.deepEqual(await s.handle.sweepIdle(), [], "acme: 29 min since its switch");
    t += 2 * MIN;
    assert.deepEqual(await s.handle.sweepIdle(), ["acme"]);
    assert.equal(state("mcp-alpha-acme"), "exited");
    assert.equal(engine.containers.size, 4, "stopped, never removed");
    assert.equal(state("mcp-alpha-cara"), undefined, "never used, never started");
    assert.ok(s.logs.some((l) => /idle stop of acme: 2 containers stopped/.test(l)));
    // A switch brings it back.
    const back = (await call(s.base, "/api/customers/switch", { method: "POST", body: { customer: "acme" } })).json();
    assert.equal(back.success, true);
    assert.equal(state("mcp-alpha-acme"), "running");
  } finally {
    await s.handle.close();
    rmSync(s.dir, { recursive: true, force: true });
  }
});

test("reload: a bad config is reported (event, fleet, log) and the last good plan keeps serving; a good one is taken", async () => {
  const engine = engineWithImages();
  const s = await serveWorkspace({ customers: [fixtureCustomer("Acme")] }, engine, { probe: scriptedProbe(), credentials: CREDENTIALS });
  const sse = sseReader(s.base);
  try {
    await until(() => sse.comments.includes("connected"), 5000, "the event stream");
    writeFileSync(path.join(s.dir, "mcp_servers.json"), '{"customers": [');
    // The watch picks it up by itself (debounced).
    await until(async () => (await call(s.base, "/api/fleet")).json().config.ok === false, 10_000, "the bad config to be reported");
    const fleet = (await call(s.base, "/api/fleet")).json();
    assert.match(fleet.config.error, /mcp_servers\.json:1:\d+: /);
    assert.deepEqual(
      fleet.customers.map((c: { id: string }) => c.id),
      ["acme"],
      "the last good plan",
    );
    assert.equal((await call(s.base, "/api/customers/switch", { method: "POST", body: { customer: "acme" } })).json().success, true);
    await until(() => sse.events.some((e) => e.event === "config" && e.data.ok === false), 5000, "a config event");
    assert.ok(s.logs.some((l) => /^mcps serve: reload failed, still serving the last good config: \S*mcp_servers\.json:1:\d+: /.test(l)));

    s.writeConfig({ customers: [fixtureCustomer("Acme"), fixtureCustomer("Bolt")] });
    await s.handle.reload();
    const good = (await call(s.base, "/api/fleet")).json();
    assert.deepEqual(good.config.ok, true);
    assert.deepEqual(
      good.customers.map((c: { id: string }) => c.id),
      ["acme", "bolt"],
    );
    await until(() => sse.events.some((e) => e.event === "config" && e.data.ok === true && e.data.services === 4), 5000, "the good config event");
  } finally {
    sse.close();
    await s.handle.close();
    rmSync(s.dir, { recursive: true, force: true });
  }
});
