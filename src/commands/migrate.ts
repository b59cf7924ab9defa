/** `mcps migrate`: grafana_servers.json (the older Grafana-only file) -> mcp_servers.json. */
import { stat } from "node:fs/promises";
import { convertLegacy, isLegacyShape, LegacyFileSchema } from "../config/legacy-schema.js";
import { readConfigText } from "../config/load-config.js";
import { parseJson } from "../config/parse-json.js";
import { check, zodProblems } from "../config/zod-problems.js";
import { ConfigError, UsageError } from "../errors.js";
import { writeFileAtomic } from "../io/atomic-write.js";

export interface MigrateOptions {
  from: string;
  /** "-" writes to stdout. */
  out: string;
  force?: boolean;
  schemaRef?: string;
}

export async function migrate(opts: MigrateOptions): Promise<{ text: string; customers: number; written?: string }> {
  const json = parseJson(await readConfigText(opts.from), opts.from);
  if (!json.ok) throw new ConfigError([json.problem]);
  if (!isLegacyShape(json.value)) {
    throw new ConfigError([{ file: opts.from, path: "", message: 'not a grafana_servers.json file (expected {"servers": [...]})' }]);
  }
  const parsed = check(LegacyFileSchema, json.value);
  if (!parsed.success) throw new ConfigError(zodProblems(opts.from, parsed.error));
  const converted = convertLegacy(parsed.data);
  const text = `${JSON.stringify({ $schema: opts.schemaRef ?? "./schema/mcp_servers.schema.json", ...converted }, null, 2)}\n`;
  if (opts.out === "-") return { text, customers: converted.customers.length };
  const exists = await stat(opts.out).then(() => true, () => false);
  if (exists && !opts.force) throw new UsageError(`${opts.out} already exists; pass --force to overwrite it`);
  await writeFileAtomic(opts.out, text);
  return { text, customers: converted.customers.length, written: opts.out };
}
