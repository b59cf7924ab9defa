/**
 * Pure: what `mcps status --target swarm` says of each service, from the plan and what Swarm
 * reports. One row per planned service, plus the project's services no longer in the plan (orphans).
 */
import type { SwarmServiceState, SwarmTaskState } from "../engine/swarm-engine.js";
import { LABEL, type ServicePlan } from "../plan/types.js";

/** ok: every replica runs (so its health check passed) and, when probed, answers MCP. */
export type SwarmServiceVerdict = "ok" | "missing" | "stale" | "down" | "degraded" | "unhealthy" | "orphan";

export interface SwarmProbe {
  ok: boolean;
  ms: number;
  /** Why not, in the probe's own words. */
  error?: string;
}

export interface SwarmStatusRow {
  service: string;
  customer: string;
  type: string;
  /** The Swarm service (<stack>_<service>), when deployed. */
  swarmService?: string;
  desired: number;
  running: number;
  state: SwarmServiceVerdict;
  /** The newest task failure Swarm remembers ("failed: task: non-zero exit (3)"), or a stuck update. */
  lastError?: string;
  probe?: SwarmProbe;
  /** Why the row is not ok, in one line. */
  reason?: string;
}

export interface SwarmStatusReport {
  project: string;
  services: SwarmStatusRow[];
}

const FAILED = new Set(["failed", "rejected", "orphaned"]);

/** Running now: what Swarm wants running and reports running (a task only runs after its health check passed once). */
export const runningTasks = (tasks: SwarmTaskState[]) => tasks.filter((t) => t.desiredState === "running" && t.state === "running");

export function lastTaskError(tasks: SwarmTaskState[]): string | undefined {
  const failed = tasks
    .filter((t) => t.error !== undefined || FAILED.has(t.state))
    .sort((a, b) => (a.timestamp < b.timestamp ? 1 : a.timestamp > b.timestamp ? -1 : 0))[0];
  return failed && `${failed.state}: ${failed.error ?? failed.message}`;
}

function verdict(
  plan: ServicePlan,
  svc: SwarmServiceState,
  running: number,
  probe: SwarmProbe | undefined,
): Pick<SwarmStatusRow, "state" | "reason"> {
  if (svc.labels[LABEL.hash] !== plan.hash) return { state: "stale", reason: "deployed from another config: deploy the stack file again" };
  if (running === 0) return { state: "down", reason: `0 of ${svc.desiredReplicas} replicas running` };
  if (running < svc.desiredReplicas) return { state: "degraded", reason: `${running} of ${svc.desiredReplicas} replicas running` };
  if (probe && !probe.ok) return { state: "unhealthy", reason: `MCP probe failed: ${probe.error ?? "no answer"}` };
  return { state: "ok" };
}

export function swarmStatusRows(
  project: string,
  planned: ServicePlan[],
  deployed: SwarmServiceState[],
  tasks: SwarmTaskState[],
  probes: ReadonlyMap<string, SwarmProbe>,
  opts: { includeOrphans: boolean },
): SwarmStatusReport {
  const byName = new Map(deployed.map((s) => [s.labels[LABEL.service] ?? "", s]));
  const tasksOf = (id: string) => tasks.filter((t) => t.serviceId === id);
  const rows: SwarmStatusRow[] = planned.map((p) => {
    const svc = byName.get(p.name);
    const base = { service: p.name, customer: p.customerId, type: p.type };
    if (!svc) return { ...base, desired: 0, running: 0, state: "missing", reason: "not deployed (docker stack deploy -c <stack file> <stack>)" };
    const own = tasksOf(svc.id);
    const running = runningTasks(own).length;
    const probe = probes.get(p.name);
    const lastError =
      lastTaskError(own) ??
      (svc.update && /rollback|paused/.test(svc.update.state) ? `update ${svc.update.state}: ${svc.update.message}` : undefined);
    return {
      ...base,
      swarmService: svc.name,
      desired: svc.desiredReplicas,
      running,
      ...verdict(p, svc, running, probe),
      ...(lastError && { lastError }),
      ...(probe && { probe }),
    };
  });
  if (opts.includeOrphans) {
    const inPlan = new Set(planned.map((p) => p.name));
    for (const svc of deployed) {
      const name = svc.labels[LABEL.service] ?? svc.name;
      if (inPlan.has(name)) continue;
      rows.push({
        service: name,
        customer: svc.labels[LABEL.customer] ?? "-",
        type: svc.labels[LABEL.type] ?? "-",
        swarmService: svc.name,
        desired: svc.desiredReplicas,
        running: runningTasks(tasksOf(svc.id)).length,
        state: "orphan",
        reason: "deployed but no longer in the config: docker service rm, or deploy with --prune",
      });
    }
  }
  return { project, services: rows };
}

export const swarmAllOk = (r: SwarmStatusReport) => r.services.every((s) => s.state === "ok");
