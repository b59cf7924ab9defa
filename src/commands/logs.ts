/** `mcps logs CUSTOMER TYPE`: one container's logs, streamed to the writers the caller gives. */
import type { ContainerEngine } from "../engine/container-engine.js";
import { UsageError } from "../errors.js";
import { selectContainers } from "../orchestrate/select-containers.js";
import { LABEL } from "../plan/types.js";
import { loadPlan, type PlanSource } from "../load/load-plan.js";

export type LogsArgs = PlanSource & { customer: string; type: string; follow: boolean; tail?: number };

export interface LogsDeps {
  engine: ContainerEngine;
  /** Where the container's stdout and stderr go (the CLI passes its own). */
  out: NodeJS.WritableStream;
  err: NodeJS.WritableStream;
}

export async function logsCommand(opts: LogsArgs, deps: LogsDeps): Promise<void> {
  const { project } = (await loadPlan(opts)).plan;
  await deps.engine.ping();
  const [c] = selectContainers(await deps.engine.list({ [LABEL.project]: project }), { customers: [opts.customer], types: [opts.type] });
  if (!c)
    throw new UsageError(`no container of type ${JSON.stringify(opts.type)} for customer ${JSON.stringify(opts.customer)} in project ${project}`);
  await deps.engine.logs(c.id, { follow: opts.follow, ...(opts.tail !== undefined && { tail: opts.tail }) }, deps.out, deps.err);
}
