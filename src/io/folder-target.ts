/**
 * Decides whether an output folder may be (re)written, and reads what mcps wrote there before.
 * Outputs never harm inputs: the folder may not be an input, lie inside an input folder, or hold
 * an input. A non-empty folder must be recognisably ours (an index file starting with a marker),
 * and hold nothing but the files that index names, so replacing it never deletes anyone's file.
 * Only lstat/stat/realpath are used on unknown paths; a file is read only once lstat says it is regular.
 */
import type { Stats } from "node:fs";
import { readdir, readFile, realpath } from "node:fs/promises";
import path from "node:path";
import { UsageError } from "../errors.js";
import { describeFsError, OutputError } from "./output-error.js";
import { type ProtectedInput, statOrUndefined } from "./output-target.js";

/** How a folder tells that mcps wrote it, and which files in it are ours. */
export interface FolderOwnership {
  /** Relative path of the index file, e.g. kustomization.yaml. */
  index: string;
  /** The index file's first line starts with this. */
  marker: string;
  /** Every file the folder holds that is ours, read from the index's text (the index included). */
  filesOf(indexText: string): string[];
}

export interface FolderTarget {
  typed: string;
  /** The real path to replace (symbolic links resolved). */
  real: string;
  /** Permission bits of the existing folder, kept on the new one. */
  mode?: number;
  /** What mcps wrote there before, by relative path; undefined when the folder is new or empty. */
  previous?: Map<string, string>;
  /**
   * Files of `previous` without the marker every file mcps writes starts with: a hand edit of one
   * of ours, or the user's own file added to the index (the kustomize way). writeFolder overwrites
   * the first kind but refuses to delete a file it would not write again.
   */
  unmarked?: string[];
}

const errno = (e: unknown) => (e as NodeJS.ErrnoException)?.code;

function inside(folder: string, p: string): boolean {
  const rel = path.relative(folder, p);
  return rel !== "" && rel !== ".." && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel);
}

function notFolder(st: Stats): string | undefined {
  if (st.isDirectory()) return undefined;
  if (st.isFile()) return "is a file, not a folder; Kubernetes manifests are written to a folder";
  if (st.isCharacterDevice() || st.isBlockDevice()) return "is a device, not a folder";
  if (st.isFIFO()) return "is a named pipe (FIFO), not a folder";
  if (st.isSocket()) return "is a socket, not a folder";
  return "is not a folder";
}

/** Every entry under dir, relative, posix; folders listed apart. Links and specials count as files (never ours). */
async function walk(dir: string, rel = ""): Promise<{ files: Array<{ rel: string; regular: boolean }>; folders: string[] }> {
  const out = { files: [] as Array<{ rel: string; regular: boolean }>, folders: [] as string[] };
  for (const entry of await readdir(path.join(dir, rel), { withFileTypes: true })) {
    const r = rel ? `${rel}/${entry.name}` : entry.name;
    if (entry.isDirectory()) {
      const sub = await walk(dir, r);
      out.folders.push(r, ...sub.folders);
      out.files.push(...sub.files);
    } else out.files.push({ rel: r, regular: entry.isFile() });
  }
  return out;
}

export const listed = (names: string[]) => names.slice(0, 3).join(", ") + (names.length > 3 ? ` and ${names.length - 3} more` : "");

async function readOurs(real: string, refuse: (why: string) => never, own: FolderOwnership): Promise<Map<string, string> | undefined> {
  const { files } = await walk(real);
  if (!files.length) return undefined;
  const index = files.find((f) => f.rel === own.index);
  const indexText = index?.regular ? await readFile(path.join(real, own.index), "utf8") : undefined;
  if (indexText === undefined || !indexText.startsWith(own.marker)) {
    refuse(`is a folder mcps did not write (no ${own.index} starting with "${own.marker}"); choose a new or empty folder`);
  }
  let named: string[] = [];
  try {
    named = own.filesOf(indexText!);
  } catch {
    refuse(`has a ${own.index} that is not valid YAML; move the folder away or choose another`);
  }
  const ours = new Set([own.index, ...named]);
  const foreign = files.filter((f) => !f.regular || !ours.has(f.rel)).map((f) => f.rel);
  if (foreign.length) refuse(`holds files mcps did not write (${listed(foreign)}); move them away or choose another folder`);
  const previous = new Map<string, string>();
  for (const f of files) previous.set(f.rel, await readFile(path.join(real, f.rel), "utf8"));
  return previous;
}

export async function folderTarget(typed: string, inputs: ProtectedInput[], own: FolderOwnership): Promise<FolderTarget> {
  if (typed === "") throw new UsageError("--out is empty; give a folder name");
  if (typed === "-") throw new UsageError("--out -: Kubernetes manifests are a folder of files, not one stream; give a folder name");
  const refuse = (reason: string): never => {
    throw new OutputError(typed, reason);
  };
  try {
    const link = await statOrUndefined(typed, false);
    const st = link?.isSymbolicLink() ? await statOrUndefined(typed, true) : link;
    if (link && !st) refuse("is a symbolic link to nothing; refusing to create its target");
    const odd = st && notFolder(st);
    if (odd) refuse(odd);
    const parent = await realpath(path.dirname(path.resolve(typed))).catch((e) =>
      refuse(errno(e) === "ENOENT" ? "cannot write: the folder it would be created in does not exist" : describeFsError(e)),
    );
    const real = st ? await realpath(typed) : path.join(parent, path.basename(path.resolve(typed)));
    if (real === path.parse(real).root) refuse("is the root folder");
    if (inside(real, process.cwd()) || real === process.cwd()) refuse("is the current folder or holds it; choose a folder of its own, e.g. k8s/");
    for (const input of inputs) {
      const inputReal = await realpath(input.path).catch(() => path.resolve(input.path));
      if (inputReal === real) refuse(`is ${input.what}; refusing to overwrite an input, choose another --out`);
      if (input.folder && inside(inputReal, real)) refuse(`is inside ${input.what}; refusing to write into an input, choose another --out`);
      if (inside(real, inputReal)) refuse(`holds ${input.what}; replacing the folder would remove it, choose another --out`);
    }
    const previous = st ? await readOurs(real, refuse, own) : undefined;
    const unmarked = [...(previous?.keys() ?? [])].filter((rel) => !previous!.get(rel)!.startsWith(own.marker));
    return { typed, real, ...(st && { mode: st.mode & 0o777 }), ...(previous && { previous }), ...(unmarked.length && { unmarked }) };
  } catch (e) {
    if (e instanceof OutputError || e instanceof UsageError) throw e;
    throw new OutputError(typed, describeFsError(e));
  }
}
