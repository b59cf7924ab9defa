/**
 * `mcps migrate`: grafana_servers.json (the older Grafana-only file) -> mcp_servers.json.
 * The converted document goes through the same checks as `mcps generate` (schema, catalog, plan),
 * so migrate never writes a file that generate would refuse; problems are reported in the legacy
 * file's own paths.
 */
import { loadCatalog } from "../catalog/catalog.js";
import { convertLegacy, isLegacyShape, LegacyFileSchema } from "../config/legacy-schema.js";
import { draftConfig, readConfigText } from "../config/load-config.js";
import { parseJson } from "../config/parse-json.js";
import { check } from "../config/zod-problems.js";
import { ConfigError, UsageError } from "../errors.js";
import { writeOutput } from "../io/atomic-write.js";
import { outputTarget } from "../io/output-target.js";
import { buildPlan } from "../plan/build-plan.js";
import { validateConfig } from "../plan/validate.js";

export interface MigrateOptions {
  from: string;
  /** "-" writes to stdout. */
  out: string;
  /** The type catalog the converted file is checked against. */
  catalog: string;
  force?: boolean;
  schemaRef?: string;
}

/** Every problem generate would report for this file, or none. */
async function checkLikeGenerate(text: string, opts: MigrateOptions): Promise<void> {
  const draft = draftConfig(text, opts.from);
  const catalog = await loadCatalog(opts.catalog);
  const { customers, problems } = validateConfig(draft, catalog);
  const { problems: planProblems } = buildPlan(
    { file: opts.from, project: draft.project, defaults: draft.defaults, customers, pathInFile: draft.pathInFile },
    catalog,
  );
  const all = [...draft.problems, ...problems, ...planProblems];
  if (all.length) throw new ConfigError(all);
}

export async function migrate(opts: MigrateOptions): Promise<{ text: string; customers: number; written?: string }> {
  // Checked before reading: --out must not be the file we read, nor anything in the catalog.
  const target = await outputTarget(opts.out, [
    { path: opts.from, what: `the file being migrated (--from ${opts.from})` },
    { path: opts.catalog, what: `the catalog folder (--catalog ${opts.catalog})`, folder: true },
  ]);
  const source = await readConfigText(opts.from);
  const json = parseJson(source, opts.from);
  if (!json.ok) throw new ConfigError([json.problem]);
  if (!isLegacyShape(json.value)) {
    throw new ConfigError([{ file: opts.from, path: "", message: 'not a grafana_servers.json file (expected {"servers": [...]})' }]);
  }
  await checkLikeGenerate(source, opts);
  const parsed = check(LegacyFileSchema, json.value);
  // checkLikeGenerate has reported every schema problem already; this only narrows the type.
  if (!parsed.success) throw new ConfigError([{ file: opts.from, path: "", message: "does not match the grafana_servers.json schema" }]);
  const converted = convertLegacy(parsed.data);
  const text = `${JSON.stringify({ $schema: opts.schemaRef ?? "./schema/mcp_servers.schema.json", ...converted }, null, 2)}\n`;
  if (target.kind === "stdout") return { text, customers: converted.customers.length };
  if (target.mode !== undefined && !opts.force) throw new UsageError(`${opts.out} already exists; pass --force to overwrite it`);
  await writeOutput(target, text);
  return { text, customers: converted.customers.length, written: opts.out };
}
