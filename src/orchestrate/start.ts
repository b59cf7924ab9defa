/**
 * start: reconcile the engine with the plan, idempotently and in parallel. Per service: missing ->
 * created; same hash and running -> left alone; stopped -> started; different hash -> recreated.
 * Container names are unique in the engine, so two concurrent runs can never create duplicates.
 */
import pLimit from "p-limit";
import type { ContainerEngine, ContainerState } from "../engine/container-engine.js";
import { McpsError } from "../errors.js";
import { probeMcp } from "../health/mcp-probe.js";
import { waitUntil, type Clock } from "../health/wait-until.js";
import { LABEL, type Plan, type ServicePlan } from "../plan/types.js";
import { containerSpec } from "./container-spec.js";
import { resolveEnv, type Lookup } from "./credentials.js";
import { imageEnsurer } from "./images.js";
import { ensureNetwork } from "./networks.js";
import { outcome, type ServiceOutcome } from "./outcome.js";

export interface StartOptions {
  concurrency: number;
  rebuild: boolean;
  buildArgs: Record<string, string>;
  forceRecreate?: boolean;
  /** Wait until each service answers MCP through its published port, at most this long. */
  waitMs?: number;
  stopTimeoutMs?: number;
  clock?: Clock;
  onProgress?: (line: string) => void;
}

const reason = (e: unknown) => (e instanceof Error ? e.message : String(e)).split("\n")[0]!;

async function reconcile(engine: ContainerEngine, s: ServicePlan, existing: ContainerState | undefined, ctx: {
  env: Record<string, string>;
  network: () => Promise<string>;
  image: (s: ServicePlan) => Promise<void>;
  opts: StartOptions;
}): Promise<ServiceOutcome> {
  if (existing && existing.labels[LABEL.hash] === s.hash && !ctx.opts.forceRecreate) {
    if (existing.state === "running") return outcome(s, "unchanged");
    await engine.start(existing.id);
    return outcome(s, "started");
  }
  const [networkId] = await Promise.all([ctx.network(), ctx.image(s)]);
  if (existing) {
    await engine.stop(existing.id, ctx.opts.stopTimeoutMs ?? 10_000);
    await engine.remove(existing.id);
  }
  const id = await engine.create(containerSpec(s, ctx.env, networkId));
  await engine.start(id);
  return outcome(s, existing ? "recreated" : "created");
}

export async function startServices(engine: ContainerEngine, plan: Plan, services: ServicePlan[], lookup: Lookup, opts: StartOptions): Promise<ServiceOutcome[]> {
  const say = opts.onProgress ?? (() => undefined);
  const current = await engine.list({ [LABEL.project]: plan.project });
  const byService = new Map(current.map((c) => [c.labels[LABEL.service] ?? c.name, c]));
  const networks = new Map<string, Promise<string>>();
  const network = (s: ServicePlan) => () => {
    let p = networks.get(s.network.key);
    if (!p) networks.set(s.network.key, (p = ensureNetwork(engine, s.network)));
    return p;
  };
  const image = imageEnsurer(engine, plan.project, { rebuild: opts.rebuild, buildArgs: opts.buildArgs, onProgress: say });
  const limit = pLimit(opts.concurrency);

  const one = async (s: ServicePlan): Promise<ServiceOutcome> => {
    let existing = byService.get(s.name);
    try {
      if (!existing) {
        // A container of that name that mcps did not create is never touched.
        const named = await engine.findByName(s.containerName);
        if (named && named.labels[LABEL.project] !== plan.project) {
          throw new Error(`a container named ${s.containerName} exists that mcps did not create (project ${JSON.stringify(plan.project)}); rename or remove it`);
        }
        existing = named;
      }
      const current = existing && existing.labels[LABEL.hash] === s.hash && !opts.forceRecreate;
      // Secrets are needed only to create a container: a current one already holds them.
      const { env, missing } = resolveEnv(s.env, lookup);
      if (missing.length && !current) {
        const r = `missing variable${missing.length > 1 ? "s" : ""} ${missing.join(", ")} (set in the environment or the credentials file)`;
        say(`Skipped ${s.name}: ${r}`);
        return outcome(s, "failed", r);
      }
      say(`Starting ${s.name}…`);
      const result = await reconcile(engine, s, existing, { env, network: network(s), image, opts });
      say(`${result.action === "unchanged" ? "Unchanged" : "Started"} ${s.name} (${result.action})`);
      return result;
    } catch (e) {
      if (e instanceof McpsError && e.exitCode === 3) throw e;
      say(`Failed ${s.name}: ${reason(e)}`);
      return outcome(s, "failed", reason(e));
    }
  };
  const outcomes = await Promise.all(services.map((s) => limit(() => one(s))));
  if (opts.waitMs === undefined) return outcomes;
  return waitForMcp(services, outcomes, opts.waitMs, opts.clock, say, opts.concurrency);
}

/** --wait: every started service must answer a real MCP initialize through its published port. */
async function waitForMcp(services: ServicePlan[], outcomes: ServiceOutcome[], waitMs: number, clock: Clock | undefined, say: (l: string) => void, concurrency: number): Promise<ServiceOutcome[]> {
  const limit = pLimit(Math.max(concurrency, 8));
  return Promise.all(
    outcomes.map((o, i) =>
      limit(async () => {
        if (o.action === "failed") return o;
        const s = services[i]!;
        const r = await waitUntil(() => probeMcp(s.url, s.transport, { timeoutMs: 5000 }), (p) => p.ok, { timeoutMs: waitMs, intervalMs: 500, ...(clock && { clock }) });
        if (r.done) {
          say(`Ready ${s.name}: MCP answered in ${Math.round(r.value.latencyMs)} ms`);
          return o;
        }
        const why = `no MCP answer at ${s.url} within ${Math.round(waitMs / 1000)} s: ${r.value.error ?? "not ready"}`;
        say(`Failed ${s.name}: ${why}`);
        return { ...o, action: "failed" as const, reason: why };
      }),
    ),
  );
}
