/** Shared by the reconcile unit tests: a plan from the fixture catalog, a fake clock, a scripted probe. */
import assert from "node:assert/strict";
import { loadCatalog } from "../../src/catalog/catalog.js";
import { draftConfig } from "../../src/config/load-config.js";
import type { ProbeResult } from "../../src/health/mcp-probe.js";
import type { Clock } from "../../src/health/wait-until.js";
import type { Prober } from "../../src/orchestrate/heal.js";
import type { StartOptions } from "../../src/orchestrate/start.js";
import { buildPlan } from "../../src/plan/build-plan.js";
import type { Plan } from "../../src/plan/types.js";
import { validateConfig } from "../../src/plan/validate.js";
import { FakeEngine } from "./fake-engine.js";
import { FIXTURE_CATALOG, fixtureCustomer } from "./workspace.js";

export async function planOf(config: unknown): Promise<Plan> {
  const catalog = await loadCatalog(FIXTURE_CATALOG);
  const draft = draftConfig(JSON.stringify(config), "mcp_servers.json");
  const { customers, problems } = validateConfig(draft, catalog);
  assert.deepEqual([...draft.problems, ...problems], []);
  const { plan, problems: p2 } = buildPlan({ file: "mcp_servers.json", project: draft.project, defaults: draft.defaults, customers }, catalog);
  assert.deepEqual(p2, []);
  return plan;
}

/** Acme and Bolt, each with alpha (built, one secret) and beta (prebuilt image). */
export const twoCustomers = () => planOf({ customers: [fixtureCustomer("Acme"), fixtureCustomer("Bolt")] });

/** Time that passes only when someone sleeps: waits and retries run instantly and can be measured. */
export class FakeClock implements Clock {
  t = 0;
  now = () => this.t;
  sleep = async (ms: number) => {
    this.t += ms;
    await Promise.resolve();
  };
}

/** A probe that answers from a script: by URL, or the same for all. Counts its calls. */
export function scriptedProbe(answer: (url: string) => Partial<ProbeResult> = () => ({ ok: true })): Prober & { calls: string[] } {
  const calls: string[] = [];
  const probe = async (url: string) => {
    calls.push(url);
    return { ok: false, latencyMs: 1, ...answer(url) };
  };
  return Object.assign(probe, { calls });
}

export const secrets = (name: string) => (name.startsWith("ALPHA_TOKEN_") ? "sekret-value" : undefined);

export function engineWithImages(): FakeEngine {
  const engine = new FakeEngine();
  engine.images.set("example.invalid/beta:1.0", "sha256:beta");
  return engine;
}

export function options(clock: Clock, extra: Partial<StartOptions> = {}): StartOptions {
  return { concurrency: 4, rebuild: false, buildArgs: {}, clock, probe: scriptedProbe(), ...extra };
}
