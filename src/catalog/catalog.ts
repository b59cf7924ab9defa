/** The type catalog: mcps/<type>/mcp.yaml manifests, validated, keyed by type name. */
import { createHash } from "node:crypto";
import { readdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import { parse as parseYaml, YAMLParseError } from "yaml";
import { ManifestSchema, type Manifest } from "../config/manifest-schema.js";
import { ID } from "../config/schema.js";
import { check, zodProblems } from "../config/zod-problems.js";
import { ConfigError, type Problem } from "../errors.js";
import { contextFiles } from "../io/context-files.js";

export const MANIFEST_FILE = "mcp.yaml";

export interface CatalogType {
  name: string;
  /** Folder of the type, as given (relative paths stay relative). */
  dir: string;
  manifest: Manifest;
  /** sha256 over the build context's files: changes when the type changes. */
  contextDigest: string;
}

export interface Catalog {
  dir: string;
  types: Map<string, CatalogType>;
  /** Type names whose manifest failed to load: their problems are reported, their servers skipped. */
  broken: Set<string>;
}

async function digestDir(dir: string): Promise<string> {
  const hash = createHash("sha256");
  for (const rel of await contextFiles(dir)) {
    hash.update(rel).update("\0").update(await readFile(path.join(dir, rel))).update("\0");
  }
  return hash.digest("hex");
}

async function loadType(catalogDir: string, name: string, problems: Problem[]): Promise<CatalogType | undefined> {
  const dir = path.join(catalogDir, name);
  const file = path.join(dir, MANIFEST_FILE);
  let raw: unknown;
  try {
    raw = parseYaml(await readFile(file, "utf8"));
  } catch (e) {
    const message = e instanceof YAMLParseError ? `invalid YAML: ${e.message.split("\n")[0]}` : `cannot read: ${(e as Error).message}`;
    problems.push({ file, path: "", message });
    return undefined;
  }
  const parsed = check(ManifestSchema, raw);
  if (!parsed.success) {
    problems.push(...zodProblems(file, parsed.error));
    return undefined;
  }
  const manifest = parsed.data;
  if (manifest.build) {
    try {
      await stat(path.join(dir, manifest.build.dockerfile));
    } catch {
      problems.push({ file, path: "build.dockerfile", message: `${manifest.build.dockerfile} not found in ${dir}` });
    }
  }
  return { name, dir, manifest, contextDigest: manifest.build ? await digestDir(dir) : "" };
}

/** Reads every <dir>/<type>/mcp.yaml; all problems at once, as a ConfigError. */
export async function loadCatalog(dir: string): Promise<Catalog> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (e) {
    throw new ConfigError([{ file: dir, path: "", message: `cannot read the catalog folder: ${(e as NodeJS.ErrnoException).code ?? e}` }]);
  }
  const problems: Problem[] = [];
  const names: string[] = [];
  for (const entry of entries) {
    if (!entry.isDirectory()) continue;
    try {
      await stat(path.join(dir, entry.name, MANIFEST_FILE));
    } catch {
      continue; // a folder without a manifest is not a type (e.g. shared assets)
    }
    if (!ID.test(entry.name)) {
      problems.push({ file: path.join(dir, entry.name), path: "", message: "a type folder name must be lower-case letters, digits and dashes" });
      continue;
    }
    names.push(entry.name);
  }
  const loaded = await Promise.all(names.sort().map((name) => loadType(dir, name, problems)));
  if (problems.length) throw new ConfigError(problems);
  if (!loaded.length) throw new ConfigError([{ file: dir, path: "", message: `no MCP types found (no */${MANIFEST_FILE})` }]);
  return { dir, types: new Map(loaded.map((t) => [t!.name, t!])), broken: new Set() };
}
