/**
 * Writes a generated folder whole: every file into a fresh temporary sibling, then the sibling is
 * swapped in. Readers see the old folder or the new one, never a half-written mix; a failure leaves
 * the old folder as it was. Only files mcps wrote are ever deleted (see folder-target.ts).
 */
import { randomBytes } from "node:crypto";
import { chmod, mkdir, rename, rm, rmdir, unlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { type FolderTarget, listed } from "./folder-target.js";
import { describeFsError, OutputError } from "./output-error.js";

const sibling = (real: string, what: string) => path.join(path.dirname(real), `.${path.basename(real)}.${randomBytes(4).toString("hex")}.${what}`);

/** Relative paths only, inside the folder: a renderer bug must not write elsewhere. */
function checkedPath(root: string, rel: string): string {
  const full = path.resolve(root, rel);
  if (path.isAbsolute(rel) || rel.split("/").includes("..") || !full.startsWith(root + path.sep)) {
    throw new Error(`refusing to write ${JSON.stringify(rel)} outside the output folder`);
  }
  return full;
}

/** Deletes the old folder's files that were ours, then its empty folders; anything else stays. */
async function removeOurs(old: string, previous: Map<string, string>): Promise<boolean> {
  for (const rel of previous.keys()) await unlink(path.join(old, rel)).catch(() => {});
  const folders = [
    ...new Set(
      [...previous.keys()].flatMap((rel) =>
        rel
          .split("/")
          .slice(0, -1)
          .map((_, i, a) => a.slice(0, i + 1).join("/")),
      ),
    ),
  ];
  folders.sort((a, b) => b.length - a.length);
  for (const f of folders) await rmdir(path.join(old, f)).catch(() => {});
  return rmdir(old).then(
    () => true,
    () => false,
  );
}

export interface FolderWritten {
  unchanged: boolean;
  /** Set when something not ours appeared in the old folder meanwhile: it was kept there. */
  keptOld?: string;
}

export async function writeFolder(target: FolderTarget, files: ReadonlyMap<string, string>): Promise<FolderWritten> {
  const prev = target.previous;
  const theirs = (target.unmarked ?? []).filter((rel) => !files.has(rel));
  if (theirs.length) {
    throw new OutputError(target.typed, `holds files mcps did not write (${listed(theirs)}); move them away or choose another folder`);
  }
  if (prev && prev.size === files.size && [...files].every(([rel, text]) => prev.get(rel) === text)) return { unchanged: true };
  const tmp = sibling(target.real, "tmp");
  try {
    await mkdir(tmp);
    for (const [rel, text] of files) {
      const full = checkedPath(tmp, rel);
      await mkdir(path.dirname(full), { recursive: true });
      await writeFile(full, text, { flag: "wx" });
    }
    if (target.mode !== undefined) await chmod(tmp, target.mode);
    if (target.mode === undefined) {
      await rename(tmp, target.real);
      return { unchanged: false };
    }
    const old = sibling(target.real, "old");
    await rename(target.real, old);
    try {
      await rename(tmp, target.real);
    } catch (e) {
      await rename(old, target.real);
      throw e;
    }
    const gone = await removeOurs(old, prev ?? new Map());
    return { unchanged: false, ...(!gone && { keptOld: old }) };
  } catch (e) {
    await rm(tmp, { recursive: true, force: true });
    if (e instanceof OutputError) throw e;
    throw new OutputError(target.typed, describeFsError(e));
  }
}

/** For --check: one line per file that would be added, changed or removed. */
export function folderDifferences(previous: ReadonlyMap<string, string> | undefined, files: ReadonlyMap<string, string>): string[] {
  const out: string[] = [];
  for (const [rel, text] of files) {
    const was = previous?.get(rel);
    if (was === undefined) out.push(`${rel}: missing`);
    else if (was !== text) out.push(`${rel}: differs`);
  }
  for (const rel of previous?.keys() ?? []) if (!files.has(rel)) out.push(`${rel}: no longer generated`);
  return out;
}
