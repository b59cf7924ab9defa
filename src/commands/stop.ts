/** `mcps stop`, `mcps down`, `mcps logs`: act on labelled containers only. */
import type { ContainerEngine } from "../engine/container-engine.js";
import { UsageError } from "../errors.js";
import { LABEL } from "../plan/types.js";
import { selectContainers } from "../orchestrate/select-containers.js";
import { downProject, stopContainers, type StopResult } from "../orchestrate/stop.js";
import { loadPlan, type PlanSource } from "./load-plan.js";
import { requireSelection, type SelectionArgs } from "./selection.js";

type Deps = { engine: ContainerEngine; onProgress: (l: string) => void };

/** The project name comes from the config; stop and down work even when the config lists nothing. */
async function projectOf(src: PlanSource): Promise<string> {
  return (await loadPlan(src)).plan.project;
}

export async function stopCommand(opts: PlanSource & SelectionArgs & { concurrency: number; timeoutMs: number }, deps: Deps): Promise<StopResult[]> {
  requireSelection("stop", opts);
  const project = await projectOf(opts);
  await deps.engine.ping();
  return stopContainers(deps.engine, project, opts, { timeoutMs: opts.timeoutMs, concurrency: opts.concurrency, onProgress: deps.onProgress });
}

export async function downCommand(opts: PlanSource & { concurrency: number }, deps: Deps) {
  const project = await projectOf(opts);
  await deps.engine.ping();
  return downProject(deps.engine, project, { concurrency: opts.concurrency, onProgress: deps.onProgress });
}

export async function logsCommand(opts: PlanSource & { customer: string; type: string; follow: boolean; tail?: number }, deps: { engine: ContainerEngine }): Promise<void> {
  const project = await projectOf(opts);
  await deps.engine.ping();
  const [c] = selectContainers(await deps.engine.list({ [LABEL.project]: project }), { customers: [opts.customer], types: [opts.type] });
  if (!c) throw new UsageError(`no container of type ${JSON.stringify(opts.type)} for customer ${JSON.stringify(opts.customer)} in project ${project}`);
  await deps.engine.logs(c.id, { follow: opts.follow, ...(opts.tail !== undefined && { tail: opts.tail }) }, process.stdout, process.stderr);
}
