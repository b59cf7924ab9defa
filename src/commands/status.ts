/** `mcps status`: Docker state plus a real MCP handshake per selected service; `--watch` keeps looking. */
import type { ContainerEngine } from "../engine/container-engine.js";
import { selectServices } from "../plan/select.js";
import { LABEL } from "../plan/types.js";
import { allOk, fleetStatus, type StatusReport } from "../orchestrate/status.js";
import { watchReports } from "../orchestrate/status-watch.js";
import { loadPlan, type PlanSource } from "../load/load-plan.js";
import { type CommandOutcome, failedIf } from "./command-outcome.js";

export interface StatusCommandOptions extends PlanSource {
  customers: string[];
  types: string[];
  probe: boolean;
  concurrency: number;
  timeoutMs: number;
}

/** Returns a function that takes one report; the plan is loaded once (also for --watch). */
async function reporter(opts: StatusCommandOptions, engine: ContainerEngine) {
  const { plan, warnings } = await loadPlan(opts);
  const services = selectServices(plan, { customers: opts.customers, types: opts.types });
  // Orphans belong to the project, not to a selection: show them when looking at everything.
  const includeOrphans = !opts.customers.length && !opts.types.length;
  const take = () =>
    fleetStatus(engine, plan, services, {
      probe: opts.probe,
      concurrency: opts.concurrency,
      timeoutMs: opts.timeoutMs,
      includeOrphans,
      asked: opts.customers.length > 0,
    });
  return { take, project: plan.project, warnings };
}

/** The report, and the plan's warnings (said on every run, on stderr by the CLI); failed unless every service and orphan is ok. */
export async function statusCommand(
  opts: StatusCommandOptions,
  deps: { engine: ContainerEngine },
): Promise<{ report: StatusReport; warnings: string[]; outcome: CommandOutcome }> {
  const { take, warnings } = await reporter(opts, deps.engine);
  const report = await take();
  return { report, warnings, outcome: failedIf(!allOk(report)) };
}

/** A report now, then one after each burst of Docker events and every intervalMs, until the signal aborts. */
export async function* watchStatusCommand(
  opts: StatusCommandOptions & { intervalMs: number },
  deps: { engine: ContainerEngine; signal: AbortSignal },
): AsyncGenerator<StatusReport> {
  const { take, project } = await reporter(opts, deps.engine);
  yield* watchReports(take, deps.engine.events({ [LABEL.project]: project }, deps.signal), { intervalMs: opts.intervalMs, signal: deps.signal });
}
