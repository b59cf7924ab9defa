/** The type catalog: mcps/<type>/mcp.yaml manifests, validated, keyed by type name. */
import type { Dirent } from "node:fs";
import { readdir, stat } from "node:fs/promises";
import path from "node:path";
import { type HealthTiming, healthTiming, ManifestSchema, type Manifest } from "../config/manifest-schema.js";
import { ID } from "../config/schema.js";
import { check, zodProblems } from "../config/zod-problems.js";
import { ConfigError, type Problem } from "../errors.js";
import { checkBuildContext, checkBuildPaths } from "./build-paths.js";
import { contextDigest, SHARED_PREFIX } from "./context-digest.js";
import { readManifestData } from "./manifest-yaml.js";

export const MANIFEST_FILE = "mcp.yaml";

export interface CatalogType {
  name: string;
  /** Folder of the type, as given (relative paths stay relative). */
  dir: string;
  manifest: Manifest;
  /** The manifest's health check durations, in milliseconds. */
  timing: HealthTiming;
  /** sha256 over the build's input files (context-digest.ts): changes when the type changes. */
  contextDigest: string;
  /** With `build`: the folder to build in and the Dockerfile's path inside it (posix separators). */
  build?: { contextDir: string; dockerfile: string };
}

export interface Catalog {
  dir: string;
  types: Map<string, CatalogType>;
  /**
   * Types whose folder exists but whose manifest failed: their problems are reported by the
   * catalog, so config checks skip servers of these types instead of calling them unknown.
   */
  broken: Set<string>;
}

async function loadType(catalogDir: string, name: string): Promise<{ type?: CatalogType; problems: Problem[] }> {
  const problems: Problem[] = [];
  const type = await readType(catalogDir, name, problems);
  return type ? { type, problems } : { problems };
}

async function readType(catalogDir: string, name: string, problems: Problem[]): Promise<CatalogType | undefined> {
  const dir = path.join(catalogDir, name);
  const file = path.join(dir, MANIFEST_FILE);
  const yaml = await readManifestData(file);
  if (yaml.problems.length) {
    problems.push(...yaml.problems);
    return undefined;
  }
  const parsed = check(ManifestSchema, yaml.value);
  if (!parsed.success) {
    problems.push(...zodProblems(file, parsed.error));
    return undefined;
  }
  const manifest = parsed.data;
  const timing = healthTiming(manifest.healthcheck);
  if (!manifest.build) return { name, dir, manifest, timing, contextDigest: "" };
  const found = await checkBuildPaths(dir, manifest.build.dockerfile);
  const context = await checkBuildContext(dir, catalogDir, manifest.build.context);
  found.push(...context.problems);
  if (found.length || !context.kind) {
    problems.push(...found.map((p) => ({ file, ...p })));
    return undefined;
  }
  // The Dockerfile stays named relative to the type's folder in the manifest; compose and the
  // engine want it relative to the context.
  const build =
    context.kind === "type"
      ? { contextDir: dir, dockerfile: manifest.build.dockerfile }
      : { contextDir: catalogDir, dockerfile: path.posix.join(name, manifest.build.dockerfile) };
  return { name, dir, manifest, timing, contextDigest: await contextDigest(catalogDir, name, context.kind), build };
}

/** Type folders: real folders (not symlinks, which could lead out of the catalog) holding a manifest. */
async function typeNames(dir: string, problems: Problem[], broken: Set<string>): Promise<string[]> {
  let entries: Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why =
      code === "ENOENT"
        ? "no such folder"
        : code === "ENOTDIR"
          ? "not a folder"
          : code === "EACCES"
            ? "permission denied"
            : (code ?? "unknown error");
    // The folder as typed ("mcps") reads like the program's own prefix: the message says it whole, with the way out.
    throw new ConfigError([
      {
        file: dir,
        path: "",
        message: `cannot read the catalog folder ${path.resolve(dir)} (${why}); --catalog <dir> names it`,
      },
    ]);
  }
  const names: string[] = [];
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    if (!entry.isDirectory() && !entry.isSymbolicLink()) continue;
    // Shared build inputs (e.g. _bridge, the stdio bridge several types copy in), never a type,
    // even with a manifest: type names are lower-case letters, digits and dashes anyway.
    if (entry.name.startsWith(SHARED_PREFIX)) continue;
    try {
      await stat(path.join(dir, entry.name, MANIFEST_FILE));
    } catch {
      continue; // a folder without a manifest is not a type (e.g. shared assets)
    }
    const at = path.join(dir, entry.name);
    if (entry.isSymbolicLink()) {
      problems.push({ file: at, path: "", message: "a type folder must be a real folder, not a symbolic link" });
      broken.add(entry.name);
    } else if (!ID.test(entry.name)) {
      problems.push({ file: at, path: "", message: "a type folder name must be lower-case letters, digits and dashes" });
      broken.add(entry.name);
    } else names.push(entry.name);
  }
  return names;
}

/**
 * Reads every <dir>/<type>/mcp.yaml. Problems in single manifests are returned, not thrown, so the
 * caller can report them together with the config's own; those types are listed in `broken`.
 * An unreadable folder, or one without any type, is one ConfigError: nothing else can be checked.
 */
export async function readCatalog(dir: string): Promise<{ catalog: Catalog; problems: Problem[] }> {
  const problems: Problem[] = [];
  const broken = new Set<string>();
  const names = await typeNames(dir, problems, broken);
  if (!names.length && !broken.size && !problems.length) {
    throw new ConfigError([{ file: dir, path: "", message: `no MCP types found (no */${MANIFEST_FILE})` }]);
  }
  // In parallel, but problems in name order: the same catalog always reads the same.
  const loaded = await Promise.all(names.map((name) => loadType(dir, name)));
  const types = new Map<string, CatalogType>();
  names.forEach((name, i) => {
    const { type, problems: own } = loaded[i]!;
    problems.push(...own);
    if (type) types.set(name, type);
    else broken.add(name);
  });
  return { catalog: { dir, types, broken }, problems };
}

/** The same, for callers that need a whole catalog: any problem is a ConfigError. */
export async function loadCatalog(dir: string): Promise<Catalog> {
  const { catalog, problems } = await readCatalog(dir);
  if (problems.length) throw new ConfigError(problems);
  return catalog;
}
