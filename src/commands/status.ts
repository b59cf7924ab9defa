/** `mcps status`: Docker state plus a real MCP handshake per selected service. */
import type { ContainerEngine } from "../engine/container-engine.js";
import { selectServices } from "../plan/select.js";
import { fleetStatus, type StatusReport } from "../orchestrate/status.js";
import { loadPlan, type PlanSource } from "./load-plan.js";

export interface StatusCommandOptions extends PlanSource {
  customers: string[];
  types: string[];
  probe: boolean;
  concurrency: number;
  timeoutMs: number;
}

export async function statusCommand(opts: StatusCommandOptions, deps: { engine: ContainerEngine }): Promise<StatusReport> {
  const { plan } = await loadPlan(opts);
  const services = selectServices(plan, { customers: opts.customers, types: opts.types });
  await deps.engine.ping();
  // Orphans belong to the project, not to a selection: show them when looking at everything.
  const includeOrphans = !opts.customers.length && !opts.types.length;
  return fleetStatus(deps.engine, plan, services, { probe: opts.probe, concurrency: opts.concurrency, timeoutMs: opts.timeoutMs, includeOrphans });
}
