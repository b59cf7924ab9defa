/**
 * A type's Dockerfile must be a file inside the type's folder once symlinks are resolved: the
 * build would otherwise read (and send to the engine) whatever the path leads to, like /etc/passwd.
 */
import { realpath, stat } from "node:fs/promises";
import path from "node:path";

export interface PathProblem {
  path: string;
  message: string;
}

const code = (e: unknown) => (e as NodeJS.ErrnoException).code ?? "unknown error";

/** True when `inner` is `outer` itself or lies below it (both absolute, normalised). */
export function isInside(outer: string, inner: string): boolean {
  const rel = path.relative(outer, inner);
  return rel === "" || (rel !== ".." && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel));
}

export async function checkBuildPaths(typeDir: string, dockerfile: string): Promise<PathProblem[]> {
  const at = "build.dockerfile";
  let realDir: string;
  try {
    realDir = await realpath(typeDir);
  } catch (e) {
    return [{ path: "", message: `cannot read the type folder: ${code(e)}` }];
  }
  const target = path.resolve(realDir, dockerfile);
  if (!isInside(realDir, target)) return [{ path: at, message: "must stay inside the type's folder" }];
  let real: string;
  try {
    real = await realpath(target);
  } catch (e) {
    const why = code(e) === "ENOENT" ? "not found" : `cannot read: ${code(e)}`;
    return [{ path: at, message: `${dockerfile}: ${why} in ${typeDir}` }];
  }
  if (real === realDir || !isInside(realDir, real)) {
    return [{ path: at, message: `${dockerfile} leads outside the type's folder (through a symbolic link)` }];
  }
  if (!(await stat(real)).isFile()) return [{ path: at, message: `${dockerfile} is not a file` }];
  return [];
}
