/**
 * `mcps down [CUSTOMER...]`: remove the project's containers (after the grace period) and networks.
 * Like compose, it works from the project name alone: `--project NAME` needs no config at all, and
 * without it only the config's `project` field is read, so a config whose customers no longer
 * validate can still be taken down.
 */
import { parseJson } from "../config/parse-json.js";
import { isLegacyShape } from "../config/legacy-schema.js";
import { ID } from "../config/schema.js";
import type { ContainerEngine } from "../engine/container-engine.js";
import { ConfigError, UsageError } from "../errors.js";
import { readInput } from "../io/read-input.js";
import { type DownResult, downFailed, downProject } from "../orchestrate/down.js";
import { DEFAULT_PROJECT } from "../plan/build-plan.js";
import { type CommandOutcome, failedIf } from "./command-outcome.js";

export interface DownArgs {
  config: string;
  /** Given: the config is not read at all. */
  project?: string;
  /** Only these customers (id or name); empty: the whole project. */
  customers: string[];
  /** Unset: each container's own grace. */
  timeoutMs?: number;
  concurrency: number;
}

const NAME_RULE = "must be lower-case letters, digits and dashes";

/** The project named in the config, reading nothing else of it. */
export async function projectOfConfig(file: string): Promise<string> {
  const text = await readInput(file);
  if (text === undefined) throw new UsageError(`${file}: file not found; to take a project down without its config: mcps down --project NAME`);
  const json = parseJson(text, file);
  if (!json.ok) throw new ConfigError([json.problem]);
  const doc = json.value;
  if (typeof doc !== "object" || doc === null || Array.isArray(doc)) throw new ConfigError([{ file, path: "", message: "expected a JSON object" }]);
  if (isLegacyShape(doc)) return DEFAULT_PROJECT;
  const project = (doc as { project?: unknown }).project ?? DEFAULT_PROJECT;
  if (typeof project !== "string" || !ID.test(project)) throw new ConfigError([{ file, path: "project", message: NAME_RULE }]);
  return project;
}

export async function downCommand(
  opts: DownArgs,
  deps: { engine: ContainerEngine; onProgress: (l: string) => void },
): Promise<DownResult & { outcome: CommandOutcome }> {
  if (opts.project !== undefined && !ID.test(opts.project)) throw new UsageError(`--project: ${NAME_RULE}`);
  const project = opts.project ?? (await projectOfConfig(opts.config));
  await deps.engine.ping();
  const result = await downProject(deps.engine, project, {
    customers: opts.customers,
    ...(opts.timeoutMs !== undefined && { timeoutMs: opts.timeoutMs }),
    concurrency: opts.concurrency,
    onProgress: deps.onProgress,
  });
  return { ...result, outcome: failedIf(downFailed(result)) };
}
