/**
 * Reads mcp_servers.json (or the older grafana_servers.json) into a draft: every customer that is
 * well-formed on its own, plus the problems of those that are not. Checks against the catalog come
 * after (plan/validate.ts), so one broken customer never hides the problems of another.
 */
import { ConfigError, type Problem } from "../errors.js";
import { readInput } from "../io/read-input.js";
import { convertLegacy, isLegacyShape, legacyPath, LegacyFileSchema } from "./legacy-schema.js";
import { type JsonResult, parseJson } from "./parse-json.js";
import { rawProblems } from "./raw-checks.js";
import { CustomerSchema, RootShapeSchema, ServerSchema, type Customer, type Defaults, type Server } from "./schema.js";
import { check, zodProblems } from "./zod-problems.js";

export interface CustomerAt {
  /** Position in the file's customers array, for error paths. */
  index: number;
  customer: Customer;
}

/** A well-formed server of a customer that is not (see ConfigDraft.checkOnly). */
export interface ServerAt {
  customerIndex: number;
  index: number;
  server: Server;
}

export interface ConfigDraft {
  file: string;
  legacy: boolean;
  project: string;
  defaults: Defaults;
  customers: CustomerAt[];
  /**
   * Well-formed servers of customers that failed the schema: never planned, but checked against the
   * catalog all the same, so a typo in a customer's own keys does not hide its servers' problems.
   */
  checkOnly: ServerAt[];
  problems: Problem[];
  /** Paths are computed on the mcp_servers.json shape; this maps them to the file's own shape. */
  pathInFile(path: string): string;
}

export async function readConfigText(file: string): Promise<string> {
  const text = await readInput(file);
  if (text === undefined) throw new ConfigError([{ file, path: "", message: "file not found" }]);
  return text;
}

/** The reader reports a number out of range once; the schema would only repeat it ("must be a number"). */
function withoutRepeats(draft: ConfigDraft, fromReader: number, outOfRange: string[]): ConfigDraft {
  if (!outOfRange.length) return draft;
  const under = (path: string, o: string) => path === o || path.startsWith(`${o}.`) || path.startsWith(`${o}[`);
  const problems = draft.problems.filter((p, i) => i < fromReader || !outOfRange.some((o) => under(p.path, o)));
  return { ...draft, problems };
}

function wellFormedServers(raw: unknown, customerIndex: number): ServerAt[] {
  const servers = (raw as { mcp_servers?: unknown } | null)?.mcp_servers;
  if (!Array.isArray(servers)) return [];
  return servers.flatMap((s, index) => {
    const parsed = check(ServerSchema, s);
    return parsed.success ? [{ customerIndex, index, server: parsed.data }] : [];
  });
}

export function draftConfig(text: string, file: string): ConfigDraft {
  const json = parseJson(text, file);
  const fromReader = json.ok ? 0 : json.problems.length;
  return withoutRepeats(draftFrom(json, file), fromReader, (!json.ok && json.outOfRange) || []);
}

function draftFrom(json: JsonResult, file: string): ConfigDraft {
  const draft: ConfigDraft = {
    file,
    legacy: false,
    project: "mcps",
    defaults: RootShapeSchema.shape.defaults.parse(undefined),
    customers: [],
    checkOnly: [],
    problems: [],
    pathInFile: (p) => p,
  };
  // Duplicate keys still leave a document (first occurrence kept), so its other problems show too.
  if (!json.ok && json.value === undefined) return { ...draft, problems: json.problems };
  let doc = json.value;
  if (!json.ok) draft.problems.push(...json.problems);
  draft.problems.push(...rawProblems(doc, file));
  if (isLegacyShape(doc)) {
    const legacy = check(LegacyFileSchema, doc);
    if (!legacy.success) return { ...draft, legacy: true, problems: [...draft.problems, ...zodProblems(file, legacy.error)] };
    doc = convertLegacy(legacy.data);
    Object.assign(draft, { legacy: true, pathInFile: legacyPath });
  }
  const root = check(RootShapeSchema, doc);
  if (!root.success) {
    draft.problems.push(...zodProblems(file, root.error));
    const customers = (doc as { customers?: unknown })?.customers;
    if (!Array.isArray(customers)) return draft;
    doc = { customers };
  } else {
    draft.project = root.data.project;
    draft.defaults = root.data.defaults;
  }
  (doc as { customers: unknown[] }).customers.forEach((raw, index) => {
    const parsed = check(CustomerSchema, raw);
    if (parsed.success) draft.customers.push({ index, customer: parsed.data });
    else {
      draft.problems.push(...zodProblems(file, parsed.error, ["customers", index]));
      draft.checkOnly.push(...wellFormedServers(raw, index));
    }
  });
  draft.problems = draft.problems.map((p) => ({ ...p, path: draft.pathInFile(p.path) }));
  return draft;
}
