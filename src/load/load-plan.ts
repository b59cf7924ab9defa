/** The shared front half of every command: config + catalog (+ previous ports) -> plan, or every problem. */
import path from "node:path";
import { readCatalog, type Catalog } from "../catalog/catalog.js";
import { portMemory, portMemoryWarning } from "../compose/previous-ports.js";
import { draftConfig, readConfigText } from "../config/load-config.js";
import { ConfigError, formatProblem, UsageError } from "../errors.js";
import { imagePrefixProblem } from "../plan/image-prefix.js";
import { readInput } from "../io/read-input.js";
import { buildPlan } from "../plan/build-plan.js";
import type { Plan } from "../plan/types.js";
import { validateConfig } from "../plan/validate.js";

export interface PlanSource {
  config: string;
  catalog: string;
  /** The generated compose file, whose ports are kept stable. Missing is fine; unparsable is a warning. */
  compose?: string;
  /** Registry path put before every built image (see plan/image-prefix.ts). */
  imagePrefix?: string;
  /**
   * A developer's stack (docker-compose.dev.yml): its own project, `<project>-dev`, so its container
   * names, networks, images and ports are its own and it runs beside the fleet mcps manages.
   */
  dev?: boolean;
}

export interface LoadedPlan {
  plan: Plan;
  catalog: Catalog;
  /** The compose file's text as it was on disk, if any. */
  previousText?: string;
  /** One line each (`file: path: message`), for the command line to print on every run. */
  warnings: string[];
}

/** The previous compose file; missing is fine, a FIFO (which would hang `mcps start`) is not. */
export async function readOptional(file: string | undefined): Promise<string | undefined> {
  return file ? await readInput(file) : undefined;
}

export async function loadPlan(src: PlanSource): Promise<LoadedPlan> {
  const prefixProblem = src.imagePrefix !== undefined ? imagePrefixProblem(src.imagePrefix) : undefined;
  // Said as a usage problem (the flag, not a file); the value is a registry path, never a secret.
  if (prefixProblem) throw new UsageError(`--image-prefix ${JSON.stringify(src.imagePrefix)}: ${prefixProblem}`);
  const text = await readConfigText(src.config);
  const draft = draftConfig(text, src.config);
  const [{ catalog, problems: catalogProblems }, previousText] = await Promise.all([readCatalog(src.catalog), readOptional(src.compose)]);
  // Without a single usable type, checks against the catalog would only repeat its problems.
  if (catalogProblems.length && !catalog.types.size) throw new ConfigError([...catalogProblems, ...draft.problems]);
  const { customers, problems } = validateConfig(draft, catalog);
  const memory = portMemory(previousText);
  const built = buildPlan(
    {
      file: src.config,
      project: src.dev ? `${draft.project}-dev` : draft.project,
      defaults: draft.defaults,
      customers,
      previousPorts: memory.ports,
      pathInFile: draft.pathInFile,
      ...(src.imagePrefix !== undefined && { imagePrefix: src.imagePrefix }),
    },
    catalog,
  );
  const all = [...catalogProblems, ...draft.problems, ...problems, ...built.problems];
  if (all.length) throw new ConfigError(all);
  const warnings = built.warnings.map(formatProblem);
  if (memory.problem && src.compose) warnings.unshift(portMemoryWarning(src.compose, memory.problem));
  // defaults.env_file is relative to the config's folder, as compose's env_file is to its file.
  const plan =
    built.plan.envFile && !path.isAbsolute(built.plan.envFile)
      ? { ...built.plan, envFile: path.join(path.dirname(src.config), built.plan.envFile) }
      : built.plan;
  return { plan, catalog, warnings, ...(previousText !== undefined && { previousText }) };
}
