/** `mcps serve`: options checked once, then the long-running server (src/serve/). */
import type { ContainerEngine } from "../engine/container-engine.js";
import { parseServeOptions, type RawServeOptions } from "../serve/options.js";
import { runServe, type ServeHandle } from "../serve/serve.js";
import type { PlanSource } from "../load/load-plan.js";

export type ServeCommandOptions = PlanSource & RawServeOptions;

export async function serveCommand(
  raw: ServeCommandOptions,
  deps: { engine: () => Promise<ContainerEngine>; log: (line: string) => void; env?: NodeJS.ProcessEnv },
): Promise<ServeHandle> {
  // Bad options are one line and exit 2 before the engine is even loaded.
  const opts = parseServeOptions(raw, deps.env ?? process.env);
  const source: PlanSource = { config: raw.config, catalog: raw.catalog, ...(raw.compose !== undefined && { compose: raw.compose }) };
  return runServe(source, opts, { engine: await deps.engine(), log: deps.log });
}
