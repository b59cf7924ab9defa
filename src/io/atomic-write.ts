/** Write to a temp file in the same folder, then rename: readers see the old file or the new one, never half. */
import { randomBytes } from "node:crypto";
import { chmod, open, rename, rm } from "node:fs/promises";
import path from "node:path";
import { describeFsError, OutputError } from "./output-error.js";
import type { OutputTarget } from "./output-target.js";

/**
 * `mode`: permission bits to give the new file (those of the file it replaces); without it the
 * usual 0666 minus umask. The temp file is created exclusively (O_EXCL), so a link planted under
 * its name is never followed, and it is removed on every failure.
 */
export async function writeFileAtomic(file: string, text: string, opts: { mode?: number } = {}): Promise<void> {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(4).toString("hex")}.tmp`);
  try {
    const fh = await open(tmp, "wx", opts.mode === undefined ? 0o666 : 0o600);
    try {
      await fh.writeFile(text, "utf8");
      await fh.sync();
    } finally {
      await fh.close();
    }
    if (opts.mode !== undefined) await chmod(tmp, opts.mode);
    await rename(tmp, file);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}

/**
 * Writes a checked output target. An existing file with no write bit at all (e.g. 0444) is taken
 * as the user's "do not touch" and refused; any other mode is kept on the new file.
 */
export async function writeOutput(target: OutputTarget & { kind: "file" }, text: string): Promise<void> {
  if (target.mode !== undefined && (target.mode & 0o222) === 0) {
    const octal = target.mode.toString(8).padStart(4, "0");
    throw new OutputError(target.typed, `is read-only (mode ${octal}); make it writable or choose another --out`);
  }
  try {
    await writeFileAtomic(target.file, text, target.mode === undefined ? {} : { mode: target.mode });
  } catch (e) {
    throw new OutputError(target.typed, describeFsError(e));
  }
}
