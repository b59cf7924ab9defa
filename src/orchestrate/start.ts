/**
 * start: reconcile the engine with the plan, idempotently and in parallel (one service: converge.ts),
 * then, with --wait, until every service serves MCP or shows why it will not (wait.ts).
 * One engine listing up front, which also shows every host port another project or container holds
 * (port-preflight.ts: a taken port stops the run before anything is touched); a missing container is
 * created without asking first (a name conflict is read as "another run was quicker" and
 * reconciled), so a cold start costs what `docker run` does.
 */
import pLimit from "p-limit";
import type { ContainerEngine } from "../engine/container-engine.js";
import { EngineUnreachableError } from "../errors.js";
import type { RevisionMemory } from "../health/mcp-probe.js";
import type { ProbeHttp } from "../health/probe-http.js";
import { realClock, type Clock } from "../health/wait-until.js";
import { LABEL, type Plan, type ServicePlan } from "../plan/types.js";
import { convergeService, type ConvergeContext, type Converged } from "./converge.js";
import type { Lookup } from "./credentials.js";
import { firstLine } from "./explain.js";
import type { Prober } from "./heal.js";
import { imageResolver } from "./images.js";
import { networkResolver } from "./networks.js";
import { isFailure, outcome, type ServiceOutcome } from "./outcome.js";
import { NotOurs } from "./ownership.js";
import { checkHostPorts, type PortProbe } from "./port-preflight.js";
import { replacementName } from "./recreate.js";
import { waitServing } from "./wait.js";

export interface StartOptions {
  concurrency: number;
  rebuild: boolean;
  buildArgs: Record<string, string>;
  forceRecreate?: boolean;
  /** Restart running containers that do not serve (default true; --no-heal). */
  heal?: boolean;
  /** Wait until each service answers MCP through its published port, at most this long. */
  waitMs?: number;
  stopTimeoutMs?: number;
  clock?: Clock;
  /** The MCP probe (tests use a fake); default the host probe of health/. */
  probe?: Prober;
  /** Wall clock in ms (tests move it); default Date.now. */
  now?: () => number;
  onProgress?: (line: string) => void;
  /** Who listens on a host port no container holds (tests use a fake); default a connect, for a local engine. */
  portProbe?: PortProbe;
}

/**
 * Loaded on first use: a cold start probes nothing, and the HTTP client is a noticeable part of startup.
 * One memory of revisions and one pool of keep-alive connections per run: --wait and heal probe each
 * server many times. close() ends the pool, so the process exits as soon as the run is done.
 */
function hostProbe(): { probe: Prober; close(): Promise<void> } {
  const memory: RevisionMemory = new Map();
  let http: Promise<ProbeHttp> | undefined;
  const probe: Prober = async (url, transport, o) => {
    http ??= import("../health/pooled-http.js").then((m) => m.pooledHttp());
    const [{ probeMcp }, client] = await Promise.all([import("../health/mcp-probe.js"), http]);
    return probeMcp(url, transport, { memory, http: client, ...o });
  };
  return { probe, close: async () => (await http)?.close() };
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));
const capitalized = (verb: string) => verb[0]!.toUpperCase() + verb.slice(1);

export async function startServices(
  engine: ContainerEngine,
  plan: Plan,
  services: ServicePlan[],
  lookup: Lookup,
  opts: StartOptions,
): Promise<ServiceOutcome[]> {
  const own = opts.probe ? undefined : hostProbe();
  try {
    return await reconcile(engine, plan, services, lookup, { ...opts, probe: opts.probe ?? own!.probe });
  } finally {
    await own?.close();
  }
}

async function reconcile(
  engine: ContainerEngine,
  plan: Plan,
  services: ServicePlan[],
  lookup: Lookup,
  opts: StartOptions & { probe: Prober },
): Promise<ServiceOutcome[]> {
  const say = opts.onProgress ?? (() => undefined);
  const clock = opts.clock ?? realClock;
  const probe = opts.probe;
  // Every container, for the ports other projects hold; ours are the ones with our label.
  const all = await engine.list({});
  await checkHostPorts(engine, plan, services, { all, ...(opts.portProbe && { probe: opts.portProbe }) });
  const ours = all.filter((c) => c.labels[LABEL.project] === plan.project);
  const byName = new Map(ours.map((c) => [c.name, c]));
  const ctx: ConvergeContext = {
    engine,
    project: plan.project,
    lookup,
    network: networkResolver(engine, plan.project, say),
    image: imageResolver(engine, plan.project, { rebuild: opts.rebuild, buildArgs: opts.buildArgs, onProgress: say }),
    forceRecreate: opts.forceRecreate ?? false,
    heal: opts.heal ?? true,
    ...(opts.stopTimeoutMs !== undefined && { stopTimeoutMs: opts.stopTimeoutMs }),
    clock,
    healDeps: { probe, clock, now: opts.now ?? Date.now },
  };
  const limit = pLimit(opts.concurrency);

  const one = async (s: ServicePlan): Promise<Converged> => {
    say(`Starting ${s.name}…`);
    try {
      const r = await convergeService(s, ctx, { current: byName.get(s.containerName), next: byName.get(replacementName(s.containerName)) });
      const o = r.outcome;
      say(
        isFailure(o)
          ? `${capitalized(o.action)} ${s.name}: ${o.reason ?? ""}`
          : `${capitalized(o.action)} ${s.name}${o.detail ? ` (${o.detail})` : ""}`,
      );
      return r;
    } catch (e) {
      if (e instanceof EngineUnreachableError) throw e;
      const reason = e instanceof NotOurs ? e.message : firstLine(message(e));
      say(`Failed ${s.name}: ${reason}`);
      return { outcome: outcome(s, "failed", { reason }), restartBaseline: 0, secrets: [] };
    }
  };
  const converged = await Promise.all(services.map((s) => limit(() => one(s))));
  if (opts.waitMs === undefined) return converged.map((c) => c.outcome);
  return waitForAll(engine, services, converged, { probe, clock, timeoutMs: opts.waitMs, say });
}

/** --wait: all at once (probes are cheap); each one stops early when its container shows it will not serve. */
async function waitForAll(
  engine: ContainerEngine,
  services: ServicePlan[],
  converged: Converged[],
  deps: { probe: Prober; clock: Clock; timeoutMs: number; say: (l: string) => void },
): Promise<ServiceOutcome[]> {
  const limit = pLimit(64);
  return Promise.all(
    converged.map((c, i) =>
      limit(async (): Promise<ServiceOutcome> => {
        const s = services[i]!;
        if (isFailure(c.outcome) || c.containerId === undefined) return c.outcome;
        const r = await waitServing(engine, { s, containerId: c.containerId, restartBaseline: c.restartBaseline, secrets: c.secrets }, deps);
        if (r.ok) {
          deps.say(`Ready ${s.name}: MCP answered in ${Math.round(r.latencyMs)} ms`);
          return c.outcome;
        }
        deps.say(`Failed ${s.name}: ${r.reason}`);
        return { ...c.outcome, action: "failed", reason: r.reason };
      }),
    ),
  );
}
