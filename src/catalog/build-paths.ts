/**
 * A type's Dockerfile must be a file inside the type's folder once symlinks are resolved: the
 * build would otherwise read (and send to the engine) whatever the path leads to, like /etc/passwd.
 * Its build context, for the same reason, is the type's folder or the catalog folder, nothing else.
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

/** Which folder a type builds in: its own, or the whole catalog (to share its `_` folders). */
export type ContextKind = "type" | "catalog";

/**
 * `build.context` resolved (symlinks included) against the type's folder: it must land on that
 * folder or on the catalog folder. Anything else, a sub-folder or a link leading out, is refused.
 */
export async function checkBuildContext(
  typeDir: string,
  catalogDir: string,
  context: string,
): Promise<{ kind: ContextKind; problems: [] } | { kind?: undefined; problems: PathProblem[] }> {
  const at = "build.context";
  let realType: string;
  let realCatalog: string;
  let real: string;
  try {
    [realType, realCatalog] = await Promise.all([realpath(typeDir), realpath(catalogDir)]);
  } catch (e) {
    return { problems: [{ path: "", message: `cannot read the type folder: ${code(e)}` }] };
  }
  try {
    real = await realpath(path.resolve(realType, context));
  } catch (e) {
    const why = code(e) === "ENOENT" ? "not found" : `cannot read: ${code(e)}`;
    return { problems: [{ path: at, message: `${context}: ${why} in ${typeDir}` }] };
  }
  if (real === realType) return { kind: "type", problems: [] };
  if (real === realCatalog) return { kind: "catalog", problems: [] };
  const message = `${JSON.stringify(context)} is neither the type's folder (".") nor the catalog folder (".."), once symbolic links are resolved`;
  return { problems: [{ path: at, message }] };
}
