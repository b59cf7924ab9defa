/**
 * status --target swarm: the project's services and their tasks from one query each, then (for
 * services with a running task) the MCP probe from inside the customer's network: a short-lived
 * helper container on the attachable overlay network runs the same check as the health check
 * (NETWORK_PROBE_SOURCE), addressed to the service's DNS name. The host cannot probe: nothing is
 * published, and an overlay network is not reachable from the host.
 * The verdicts are swarm-verdicts.ts's; rendering is the CLI's.
 */
import pLimit from "p-limit";
import { EngineUnreachableError } from "../errors.js";
import type { SwarmEngine, SwarmServiceState } from "../engine/swarm-engine.js";
import { checkBudgetMs, networkProbeCommand } from "../health/container-probe.js";
import { LABEL, type Plan, type ServicePlan } from "../plan/types.js";
import { runningTasks, type SwarmProbe, type SwarmStatusReport, swarmStatusRows } from "./swarm-verdicts.js";

export interface SwarmStatusOptions {
  probe: boolean;
  concurrency: number;
  timeoutMs: number;
  includeOrphans: boolean;
}

/** Labels of the helper containers: the project's, so a cleanup by project label finds a stray one. */
const HELPER_ROLE_LABEL = "mcps.role";

async function probeInNetwork(engine: SwarmEngine, project: string, p: ServicePlan, svc: SwarmServiceState, timeoutMs: number): Promise<SwarmProbe> {
  const started = Date.now();
  const networkId = svc.networkIds[0];
  if (!networkId) return { ok: false, ms: 0, error: "the service is on no network" };
  try {
    const { exitCode, output } = await engine.runHelper({
      image: svc.image,
      command: networkProbeCommand(p.healthcheck.probe, svc.name, checkBudgetMs(timeoutMs)),
      networkId,
      labels: { [LABEL.project]: project, [LABEL.customer]: p.customerId, [HELPER_ROLE_LABEL]: "swarm-probe" },
      timeoutMs,
    });
    const ms = Date.now() - started;
    if (exitCode === 0) return { ok: true, ms };
    const said = output
      .filter((l) => l.startsWith("mcp probe: "))
      .pop()
      ?.slice("mcp probe: ".length);
    return { ok: false, ms, error: said ?? `the probe exited ${exitCode}${output.length ? `: ${output[output.length - 1]}` : ""}` };
  } catch (e) {
    if (e instanceof EngineUnreachableError) throw e;
    return { ok: false, ms: Date.now() - started, error: `no helper container: ${(e as Error).message}` };
  }
}

export async function swarmStatus(engine: SwarmEngine, plan: Plan, services: ServicePlan[], opts: SwarmStatusOptions): Promise<SwarmStatusReport> {
  const deployed = await engine.listServices({ [LABEL.project]: plan.project });
  const tasks = await engine.listTasks(deployed.map((s) => s.id));
  const probes = new Map<string, SwarmProbe>();
  if (opts.probe) {
    const limit = pLimit(opts.concurrency);
    const byName = new Map(deployed.map((s) => [s.labels[LABEL.service], s]));
    await Promise.all(
      services.map((p) => {
        const svc = byName.get(p.name);
        const live = svc && runningTasks(tasks.filter((t) => t.serviceId === svc.id)).length > 0;
        if (!svc || !live) return undefined;
        return limit(async () => probes.set(p.name, await probeInNetwork(engine, plan.project, p, svc, opts.timeoutMs)));
      }),
    );
  }
  return swarmStatusRows(plan.project, services, deployed, tasks, probes, { includeOrphans: opts.includeOrphans });
}
