/** `mcps start` / `mcps restart`: reconcile the selected services with the plan. */
import type { ContainerEngine } from "../engine/container-engine.js";
import { selectServices } from "../plan/select.js";
import { credentialLookup, defaultCredentialsFile } from "../orchestrate/credentials.js";
import { byCustomer, type CustomerResult, isFailure, type ServiceOutcome } from "../orchestrate/outcome.js";
import { checkHostPorts } from "../orchestrate/port-preflight.js";
import { startServices } from "../orchestrate/start.js";
import { stopContainers } from "../orchestrate/stop.js";
import { loadPlan, type PlanSource } from "../load/load-plan.js";
import { requireSelection, type SelectionArgs } from "../load/selection.js";
import { type CommandOutcome, failedIf } from "./command-outcome.js";

export interface StartCommandOptions extends PlanSource, SelectionArgs {
  waitMs?: number;
  concurrency: number;
  build: boolean;
  buildArgs: Record<string, string>;
  envFile?: string;
  forceRecreate?: boolean;
  /** Restart running containers that do not serve (default true). */
  heal?: boolean;
  /** restart: stop the selection first. */
  restart?: boolean;
}

export interface StartCommandResult {
  customers: CustomerResult[];
  services: ServiceOutcome[];
  /** The plan's warnings (an exposed bind address, a privileged port), said on every run. */
  warnings: string[];
  /** Failed when any service failed to start (or, with a wait, to answer). */
  outcome: CommandOutcome;
}

export async function startCommand(
  opts: StartCommandOptions,
  deps: { engine: ContainerEngine; onProgress: (l: string) => void; env?: NodeJS.ProcessEnv },
): Promise<StartCommandResult> {
  requireSelection(opts.restart ? "restart" : "start", opts);
  const { plan, warnings } = await loadPlan(opts);
  const services = selectServices(plan, { customers: opts.customers, types: opts.types });
  // Bad input before the engine: a credentials file that was named but is missing is exit 2.
  const envFile = opts.envFile ?? plan.envFile ?? defaultCredentialsFile(opts.config);
  const namedBy = opts.envFile ? "--credentials" : plan.envFile ? `defaults.env_file in ${opts.config}` : undefined;
  const lookup = await credentialLookup(envFile, deps.env ?? process.env, namedBy);
  await deps.engine.ping();
  if (opts.restart) {
    // Before the stop: a port another project holds must not leave the selection stopped.
    await checkHostPorts(deps.engine, plan, services);
    const ids = [...new Set(services.map((s) => s.customerId))];
    await stopContainers(
      deps.engine,
      plan.project,
      { customers: ids, types: opts.types },
      { concurrency: opts.concurrency, onProgress: deps.onProgress },
    );
  }
  const outcomes = await startServices(deps.engine, plan, services, lookup, {
    concurrency: opts.concurrency,
    rebuild: opts.build,
    buildArgs: opts.buildArgs,
    forceRecreate: opts.forceRecreate ?? false,
    heal: opts.heal ?? true,
    ...(opts.waitMs !== undefined && { waitMs: opts.waitMs }),
    onProgress: deps.onProgress,
  });
  return { customers: byCustomer(outcomes), services: outcomes, warnings, outcome: failedIf(outcomes.some(isFailure)) };
}
