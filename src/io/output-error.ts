/**
 * An output file that must not or could not be written. Always names the path as the user typed
 * it (never the resolved path or the temporary file), on one line, and means bad input: exit 2.
 */
import { BadInputError } from "../errors.js";

export class OutputError extends BadInputError {
  override name = "OutputError";
  constructor(
    readonly typed: string,
    readonly reason: string,
  ) {
    super(`${typed}: ${reason}`);
  }
  /** The line names the file, like a config problem does. */
  override lines(): string[] {
    return [this.message];
  }
}

/** errno codes from writing or renaming, in words; the code itself only when we have no words. */
export function describeFsError(e: unknown): string {
  const code = (e as NodeJS.ErrnoException)?.code;
  switch (code) {
    case "ENOENT":
      return "cannot write: the folder does not exist";
    case "ENOTDIR":
      return "cannot write: a part of the path is not a folder";
    case "EACCES":
    case "EPERM":
      return "cannot write: permission denied";
    case "ENOSPC":
      return "cannot write: no space left on the device";
    case "EDQUOT":
      return "cannot write: disk quota exceeded";
    case "EROFS":
      return "cannot write: the file system is read-only";
    case "EISDIR":
      return "is a folder, not a file";
    case "ELOOP":
      return "is a symbolic link that loops";
    case "ENAMETOOLONG":
      return "the path is too long";
    case "EXDEV":
    case "EBUSY":
    case "ETXTBSY":
      return `cannot replace the file (${code})`;
    default:
      return `cannot write (${code ?? "unknown error"})`;
  }
}
