/**
 * Every file mcps reads from the user (config, legacy file, manifests, credentials file) comes in
 * through here. stat before open: opening a FIFO blocks until a writer comes, and opening a device
 * may have effects. The open is non-blocking and checked again with fstat, so a file swapped in
 * between cannot hang us either. Bytes are decoded as strict UTF-8: a Latin-1 "ü" would otherwise
 * become U+FFFD in names, ids and labels without a word.
 */
import { isUtf8 } from "node:buffer";
import { constants } from "node:fs";
import { open, stat } from "node:fs/promises";
import { ConfigError, type Problem } from "../errors.js";
import { notRegular } from "./file-kind.js";

const errno = (e: unknown) => (e as NodeJS.ErrnoException)?.code;

function readFailure(e: unknown): string {
  const code = errno(e);
  if (code === "EACCES" || code === "EPERM") return "cannot read: permission denied";
  if (code === "ENOTDIR") return "cannot read: a part of the path is not a folder";
  if (code === "ELOOP") return "is a symbolic link that loops";
  if (code === "EISDIR") return "is a folder, not a file";
  return `cannot read (${code ?? "unknown error"})`;
}

/** Offset of the first byte that does not start a valid UTF-8 sequence (-1: all valid). */
export function firstInvalidUtf8(b: Uint8Array): number {
  for (let i = 0; i < b.length; ) {
    const c = b[i]!;
    if (c < 0x80) {
      i++;
      continue;
    }
    // Continuation bytes after the lead, and the smallest code point that needs that many (no overlong forms).
    const [n, min] = c >= 0xc2 && c <= 0xdf ? [1, 0x80] : c >= 0xe0 && c <= 0xef ? [2, 0x800] : c >= 0xf0 && c <= 0xf4 ? [3, 0x10000] : [0, 0];
    if (!n) return i;
    let cp = c & (0x3f >> n);
    for (let k = 1; k <= n; k++) {
      const d = b[i + k];
      if (d === undefined || (d & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (d & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += n + 1;
  }
  return -1;
}

function notUtf8(file: string, bytes: Buffer): Problem {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    return { file, path: "", line: 1, column: 1, message: "is UTF-16 (it starts with a UTF-16 byte order mark); save it as UTF-8" };
  }
  const at = firstInvalidUtf8(bytes);
  const lineStart = bytes.lastIndexOf(0x0a, at - 1) + 1;
  const line = 1 + bytes.subarray(0, lineStart).reduce((n, c) => n + (c === 0x0a ? 1 : 0), 0);
  const column = bytes.subarray(lineStart, at).toString("utf8").length + 1;
  const hex = bytes[at]!.toString(16).toUpperCase().padStart(2, "0");
  return { file, path: "", line, column, message: `is not valid UTF-8 (byte 0x${hex} at offset ${at}); save it as UTF-8` };
}

/**
 * The file's text, or undefined when nothing exists at that path (callers decide whether that is
 * fine). Anything else that stops us from reading it is a ConfigError with one line naming `file`.
 */
export async function readInput(file: string): Promise<string | undefined> {
  const fail = (message: string): never => {
    throw new ConfigError([{ file, path: "", message }]);
  };
  let bytes: Buffer;
  try {
    const odd = notRegular(await stat(file));
    if (odd) fail(odd);
    const fh = await open(file, constants.O_RDONLY | constants.O_NONBLOCK);
    try {
      const again = notRegular(await fh.stat());
      if (again) fail(again);
      bytes = await fh.readFile();
    } finally {
      await fh.close();
    }
  } catch (e) {
    if (e instanceof ConfigError) throw e;
    if (errno(e) === "ENOENT") return undefined;
    return fail(readFailure(e));
  }
  if (!isUtf8(bytes)) throw new ConfigError([notUtf8(file, bytes)]);
  return bytes.toString("utf8");
}
