/**
 * A case's sandbox: a fresh temp folder built from the case's data, and a snapshot of every entry
 * (path, type, mode, size, sha256) so a run can be checked to have changed nothing it should not.
 * FIFOs, devices and sockets are stat'ed only, never opened.
 */
import { createHash } from "node:crypto";
import { execFileSync } from "node:child_process";
import {
  chmodSync,
  chownSync,
  cpSync,
  linkSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import os from "node:os";
import path from "node:path";
import { ROOT } from "./cli.js";
import { fileBytes, type HostileCase } from "./hostile-case.js";

export const NOBODY = 65534;

export interface Entry {
  type: "file" | "dir" | "symlink" | "fifo" | "char" | "block" | "socket" | "other";
  mode: number;
  size?: number;
  sha256?: string;
  link?: string;
  rdev?: number;
}
export type Snapshot = Map<string, Entry>;

function entryOf(full: string): Entry {
  const st = lstatSync(full);
  const mode = st.mode & 0o7777;
  if (st.isSymbolicLink()) return { type: "symlink", mode, link: readlinkSync(full) };
  if (st.isDirectory()) return { type: "dir", mode };
  if (st.isFile()) return { type: "file", mode, size: st.size, sha256: createHash("sha256").update(readFileSync(full)).digest("hex") };
  if (st.isFIFO()) return { type: "fifo", mode };
  if (st.isCharacterDevice()) return { type: "char", mode, rdev: st.rdev };
  if (st.isBlockDevice()) return { type: "block", mode, rdev: st.rdev };
  if (st.isSocket()) return { type: "socket", mode };
  return { type: "other", mode };
}

export function snapshot(root: string): Snapshot {
  const snap: Snapshot = new Map();
  const walk = (rel: string) => {
    const full = path.join(root, rel);
    const entry = entryOf(full);
    if (rel) snap.set(rel, entry);
    if (entry.type === "dir") for (const name of readdirSync(full).sort()) walk(rel ? `${rel}/${name}` : name);
  };
  walk("");
  return snap;
}

/** Paths whose entry differs, appeared or disappeared. */
export function changedPaths(before: Snapshot, after: Snapshot): string[] {
  const changed = new Set<string>();
  for (const [p, e] of before) if (JSON.stringify(after.get(p)) !== JSON.stringify(e)) changed.add(p);
  for (const p of after.keys()) if (!before.has(p)) changed.add(p);
  return [...changed].sort();
}

function makeSocket(file: string): void {
  // A bound UNIX socket file that stays after the binding process exits (nothing listens on it).
  execFileSync("python3", ["-c", "import socket,sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])", file]);
}

export function buildSandbox(c: HostileCase): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "mcps-hostile-"));
  const at = (p: string) => path.join(dir, p);
  const catalog = c.catalog ?? "fixture";
  if (catalog !== "none") cpSync(path.join(ROOT, catalog === "real" ? "mcps" : "test/fixtures/catalog"), at("mcps"), { recursive: true });
  for (const p of c.remove ?? []) rmSync(at(p), { recursive: true, force: true });
  const files: Record<string, unknown> = { ...(c.config !== undefined && { "mcp_servers.json": c.config }), ...c.files };
  for (const d of c.dirs ?? []) mkdirSync(at(d), { recursive: true });
  for (const [p, spec] of Object.entries(files)) {
    mkdirSync(path.dirname(at(p)), { recursive: true });
    writeFileSync(at(p), fileBytes(spec as never));
  }
  for (const [p, target] of Object.entries(c.symlinks ?? {})) symlinkSync(target, at(p));
  for (const [p, existing] of Object.entries(c.hardlinks ?? {})) linkSync(at(existing), at(p));
  for (const p of c.fifos ?? []) execFileSync("mkfifo", [at(p)]);
  for (const p of c.devices ?? []) execFileSync("mknod", [at(p), "c", "1", "3"]);
  for (const p of c.sockets ?? []) makeSocket(at(p));
  if (c.user === "nobody") {
    const own = (rel: string) => {
      const full = rel ? at(rel) : dir;
      const st = lstatSync(full);
      if (!st.isSymbolicLink()) chownSync(full, NOBODY, NOBODY);
      if (st.isDirectory()) for (const n of readdirSync(full)) own(rel ? `${rel}/${n}` : n);
    };
    own("");
  }
  for (const [p, mode] of Object.entries(c.modes ?? {})) chmodSync(at(p), parseInt(mode, 8));
  return dir;
}

export function removeSandbox(dir: string): void {
  // A case may have left the folder read-only; make it removable first.
  try {
    chmodSync(dir, 0o755);
    for (const e of readdirSync(dir, { recursive: true }) as string[]) {
      const full = path.join(dir, e);
      if (lstatSync(full).isDirectory()) chmodSync(full, 0o755);
    }
  } catch {
    // removal below reports what matters
  }
  rmSync(dir, { recursive: true, force: true });
}
