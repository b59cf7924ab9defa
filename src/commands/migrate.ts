/**
 * `mcps migrate`: grafana_servers.json (the older Grafana-only file) -> mcp_servers.json.
 * The converted document goes through the same checks as `mcps generate` (schema, catalog, plan),
 * so migrate never writes a file that generate would refuse; problems are reported in the legacy
 * file's own paths.
 */
import { convertLegacy, isLegacyShape, LegacyFileSchema } from "../config/legacy-schema.js";
import { readConfigText } from "../config/load-config.js";
import { parseJson } from "../config/parse-json.js";
import { check } from "../config/zod-problems.js";
import { ConfigError, UsageError } from "../errors.js";
import { writeOutput } from "../io/atomic-write.js";
import { defaultCredentialsFile } from "../orchestrate/credentials.js";
import { outputTarget } from "../io/output-target.js";
import { loadPlan } from "../load/load-plan.js";

export interface MigrateOptions {
  from: string;
  /** "-" writes to stdout. */
  out: string;
  /** The type catalog the converted file is checked against. */
  catalog: string;
  force?: boolean;
  schemaRef?: string;
}

export async function migrate(opts: MigrateOptions): Promise<{ text: string; customers: number; written?: string }> {
  // Checked before reading: --out must not be the file we read, anything in the catalog, or the
  // credentials file `mcps start` reads beside the old file or beside the new one.
  const target = await outputTarget(opts.out, [
    { path: opts.from, what: `the file being migrated (--from ${opts.from})` },
    { path: opts.catalog, what: `the catalog folder (--catalog ${opts.catalog})`, folder: true },
    { path: defaultCredentialsFile(opts.from), what: "the credentials file" },
    ...(opts.out === "-" ? [] : [{ path: defaultCredentialsFile(opts.out), what: "the credentials file" }]),
  ]);
  const json = parseJson(await readConfigText(opts.from), opts.from);
  if (json.value !== undefined && !isLegacyShape(json.value)) {
    throw new ConfigError([{ file: opts.from, path: "", message: 'not a grafana_servers.json file (expected {"servers": [...]})' }]);
  }
  // The same checks as generate (JSON, schema, catalog, plan), in the legacy file's own paths.
  await loadPlan({ config: opts.from, catalog: opts.catalog });
  const parsed = check(LegacyFileSchema, json.value);
  // loadPlan has reported every problem already; this only narrows the type.
  if (!parsed.success) throw new ConfigError([{ file: opts.from, path: "", message: "does not match the grafana_servers.json schema" }]);
  const converted = convertLegacy(parsed.data);
  const text = `${JSON.stringify({ $schema: opts.schemaRef ?? "./schema/mcp_servers.schema.json", ...converted }, null, 2)}\n`;
  if (target.kind === "stdout") return { text, customers: converted.customers.length };
  if (target.mode !== undefined && !opts.force) throw new UsageError(`${opts.out} already exists; pass --force to overwrite it`);
  await writeOutput(target, text);
  return { text, customers: converted.customers.length, written: opts.out };
}
