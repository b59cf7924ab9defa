/**
 * Decides, before anything is read or rendered, whether `--out` may be written: outputs never harm
 * inputs. Only lstat/stat/realpath are used here, never open(): opening a FIFO would hang and
 * opening a device could have effects.
 *
 * Symbolic links: a link to a regular file is followed; the file it points at is replaced
 * atomically (temp file beside the target, then rename) and the link itself is kept. A dangling
 * link is refused rather than creating a file somewhere the user may not expect. A link pointing
 * at an input (config, legacy file, anything in the catalog) is refused like the input itself.
 */
import { lstat, realpath, stat } from "node:fs/promises";
import type { Stats } from "node:fs";
import path from "node:path";
import { UsageError } from "../errors.js";
import { notRegular } from "./file-kind.js";
import { describeFsError, OutputError } from "./output-error.js";

/** A file or folder the command reads, which its output must never replace. */
export interface ProtectedInput {
  path: string;
  /** How the user named it, e.g. "the config file (--config)". */
  what: string;
  /** A folder: nothing inside it may be written either. */
  folder?: boolean;
}

export type OutputTarget =
  | { kind: "stdout" }
  /** `file` is the real path to replace; `mode` the permission bits of the file there now, if any. */
  | { kind: "file"; typed: string; file: string; mode?: number };

const errno = (e: unknown) => (e as NodeJS.ErrnoException)?.code;

/** stat (follow) or lstat; undefined when nothing is there. Shared with folder-target.ts. */
export async function statOrUndefined(p: string, follow: boolean): Promise<Stats | undefined> {
  try {
    return follow ? await stat(p) : await lstat(p);
  } catch (e) {
    if (errno(e) === "ENOENT") return undefined;
    throw e;
  }
}

const realOrResolved = (p: string) => realpath(p).catch(() => path.resolve(p));

function inside(folder: string, file: string): boolean {
  const rel = path.relative(folder, file);
  return rel !== "" && !rel.startsWith(`..${path.sep}`) && rel !== ".." && !path.isAbsolute(rel);
}

/** "is" when out is the input itself, "is inside" when it lies in an input folder. */
async function clashes(real: string, st: Stats | undefined, input: ProtectedInput): Promise<"is" | "is inside" | undefined> {
  const inputReal = await realOrResolved(input.path);
  if (inputReal === real) return "is";
  if (input.folder) return inside(inputReal, real) ? "is inside" : undefined;
  // Same file under another name (hard link, bind mount, case-insensitive file system).
  const inputSt = await statOrUndefined(input.path, true).catch(() => undefined);
  return st && inputSt && st.dev === inputSt.dev && st.ino === inputSt.ino ? "is" : undefined;
}

export async function outputTarget(typed: string, inputs: ProtectedInput[]): Promise<OutputTarget> {
  if (typed === "-") return { kind: "stdout" };
  // An empty name has nothing to start a `file: ...` line with.
  if (typed === "") throw new UsageError("--out is empty; give a file name or - for stdout");
  const refuse = (reason: string): never => {
    throw new OutputError(typed, reason);
  };
  try {
    const link = await statOrUndefined(typed, false);
    let st = link;
    let real: string;
    if (link?.isSymbolicLink()) {
      st = await statOrUndefined(typed, true);
      if (!st) refuse("is a symbolic link to a file that does not exist; refusing to create its target");
      real = await realpath(typed);
    } else if (link) {
      real = await realpath(typed);
    } else {
      const dir = await realpath(path.dirname(typed)).catch((e) =>
        refuse(errno(e) === "ENOENT" ? "cannot write: the folder does not exist" : describeFsError(e)),
      );
      real = path.join(dir, path.basename(typed));
    }
    for (const input of inputs) {
      const how = await clashes(real, st, input);
      if (how) refuse(`${how} ${input.what}; refusing to overwrite an input, choose another --out`);
    }
    const odd = st && notRegular(st);
    if (odd) refuse(odd);
    // "out.yml/" names a folder; path.dirname/basename above quietly dropped the slash.
    if (typed.endsWith("/") || typed.endsWith(path.sep)) refuse("ends in a slash, so it names a folder, not a file");
    return { kind: "file", typed, file: real, ...(st && { mode: st.mode & 0o777 }) };
  } catch (e) {
    if (e instanceof OutputError) throw e;
    throw new OutputError(typed, describeFsError(e));
  }
}
