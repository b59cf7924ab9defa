/** The shared front half of every command: config + catalog (+ previous ports) -> plan, or every problem. */
import { readFile } from "node:fs/promises";
import { loadCatalog, type Catalog } from "../catalog/catalog.js";
import { previousPorts } from "../compose/previous-ports.js";
import { draftConfig, readConfigText } from "../config/load-config.js";
import { ConfigError } from "../errors.js";
import { buildPlan } from "../plan/build-plan.js";
import type { Plan } from "../plan/types.js";
import { validateConfig } from "../plan/validate.js";

export interface PlanSource {
  config: string;
  catalog: string;
  /** The generated compose file, whose ports are kept stable. Missing is fine. */
  compose?: string;
}

export interface LoadedPlan {
  plan: Plan;
  catalog: Catalog;
  /** The compose file's text as it was on disk, if any. */
  previousText?: string;
}

export async function readOptional(file: string | undefined): Promise<string | undefined> {
  if (!file) return undefined;
  try {
    return await readFile(file, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw e;
  }
}

export async function loadPlan(src: PlanSource): Promise<LoadedPlan> {
  const text = await readConfigText(src.config);
  const draft = draftConfig(text, src.config);
  const [catalog, previousText] = await Promise.all([loadCatalog(src.catalog), readOptional(src.compose)]);
  const { customers, problems } = validateConfig(draft, catalog);
  const { plan, problems: planProblems } = buildPlan(
    {
      file: src.config,
      project: draft.project,
      defaults: draft.defaults,
      customers,
      previousPorts: previousPorts(previousText),
      pathInFile: draft.pathInFile,
    },
    catalog,
  );
  const all = [...draft.problems, ...problems, ...planProblems];
  if (all.length) throw new ConfigError(all);
  return { plan, catalog, ...(previousText !== undefined && { previousText }) };
}
