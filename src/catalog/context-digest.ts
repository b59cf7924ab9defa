/**
 * The digest of a type's build inputs, which tags its image (mcps/<type>:<digest>) and enters its
 * services' config hash: change an input, and the tag and the hash change with it.
 *
 * - Context "." (the type's folder): every file of the folder, paths relative to it.
 * - Context ".." (the catalog folder): every file of the type's folder and of each `_`-prefixed
 *   folder of the catalog (the shared build inputs, e.g. _bridge), paths relative to the catalog.
 *   Other types' folders are in the build context too, but a Dockerfile that copies from them
 *   would escape the digest: it must copy only its own folder and the `_` folders.
 *
 * node_modules and .git* are never inputs (context-files.ts), as in the engine build.
 */
import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { contextFiles } from "../io/context-files.js";
import type { ContextKind } from "./build-paths.js";

/** A catalog folder whose name starts with this holds shared build inputs, never a type. */
export const SHARED_PREFIX = "_";

/** The shared folders of a catalog: real folders only (a symlink could lead out), sorted. */
export async function sharedFolders(catalogDir: string): Promise<string[]> {
  const entries = await readdir(catalogDir, { withFileTypes: true });
  return entries
    .filter((e) => e.isDirectory() && e.name.startsWith(SHARED_PREFIX))
    .map((e) => e.name)
    .sort();
}

async function filesUnder(root: string, folder: string): Promise<string[]> {
  return (await contextFiles(path.join(root, folder))).map((rel) => `${folder}/${rel}`);
}

/** The input files, relative to the folder that `base` names. */
async function inputs(catalogDir: string, name: string, kind: ContextKind): Promise<{ base: string; files: string[] }> {
  const typeDir = path.join(catalogDir, name);
  if (kind === "type") return { base: typeDir, files: await contextFiles(typeDir) };
  const folders = [name, ...(await sharedFolders(catalogDir))];
  const files = (await Promise.all(folders.map((f) => filesUnder(catalogDir, f)))).flat();
  return { base: catalogDir, files: files.sort() };
}

export async function contextDigest(catalogDir: string, name: string, kind: ContextKind): Promise<string> {
  const { base, files } = await inputs(catalogDir, name, kind);
  const hash = createHash("sha256");
  for (const rel of files) {
    hash
      .update(rel)
      .update("\0")
      .update(await readFile(path.join(base, rel)))
      .update("\0");
  }
  return hash.digest("hex");
}
