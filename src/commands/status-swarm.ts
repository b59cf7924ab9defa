/** `mcps status --target swarm`: the deployed stack's services, tasks and in-network MCP probes, against the plan. */
import type { SwarmEngine } from "../engine/swarm-engine.js";
import { swarmStatus } from "../orchestrate/swarm-status.js";
import { selectServices } from "../plan/select.js";
import { swarmAllOk, type SwarmStatusReport } from "../orchestrate/swarm-verdicts.js";
import { loadPlan } from "../load/load-plan.js";
import { type CommandOutcome, failedIf } from "./command-outcome.js";
import type { StatusCommandOptions } from "./status.js";

export async function swarmStatusCommand(
  opts: StatusCommandOptions,
  deps: { engine: SwarmEngine },
): Promise<{ report: SwarmStatusReport; warnings: string[]; outcome: CommandOutcome }> {
  const { plan, warnings } = await loadPlan(opts);
  const services = selectServices(plan, { customers: opts.customers, types: opts.types });
  // Orphans belong to the project, not to a selection: shown only when looking at everything.
  const includeOrphans = !opts.customers.length && !opts.types.length;
  const report = await swarmStatus(deps.engine, plan, services, {
    probe: opts.probe,
    concurrency: opts.concurrency,
    timeoutMs: opts.timeoutMs,
    includeOrphans,
  });
  return { report, warnings, outcome: failedIf(!swarmAllOk(report)) };
}
