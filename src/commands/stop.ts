/** `mcps stop`: stop the selected customers' containers (only ones with the project's labels). */
import type { ContainerEngine } from "../engine/container-engine.js";
import { type StopResult, stopContainers } from "../orchestrate/stop.js";
import { loadPlan, type PlanSource } from "../load/load-plan.js";
import { requireSelection, type SelectionArgs } from "../load/selection.js";
import { type CommandOutcome, failedIf } from "./command-outcome.js";

export type StopArgs = PlanSource & SelectionArgs & { concurrency: number; timeoutMs?: number };

export async function stopCommand(
  opts: StopArgs,
  deps: { engine: ContainerEngine; onProgress: (l: string) => void },
): Promise<{ services: StopResult[]; outcome: CommandOutcome }> {
  requireSelection("stop", opts);
  const { project } = (await loadPlan(opts)).plan;
  await deps.engine.ping();
  const services = await stopContainers(deps.engine, project, opts, {
    ...(opts.timeoutMs !== undefined && { timeoutMs: opts.timeoutMs }),
    concurrency: opts.concurrency,
    onProgress: deps.onProgress,
  });
  return { services, outcome: failedIf(services.some((s) => s.action === "failed")) };
}
