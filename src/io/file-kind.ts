/** What a path is when it is not a regular file, in words: shared by inputs and outputs. */
import type { Stats } from "node:fs";

/** undefined for a regular file; otherwise why it cannot be read or written as one. */
export function notRegular(st: Stats): string | undefined {
  if (st.isFile()) return undefined;
  if (st.isDirectory()) return "is a folder, not a file";
  if (st.isCharacterDevice()) return "is a character device, not a regular file";
  if (st.isBlockDevice()) return "is a block device, not a regular file";
  if (st.isFIFO()) return "is a named pipe (FIFO), not a regular file";
  if (st.isSocket()) return "is a socket, not a regular file";
  return "is not a regular file";
}
