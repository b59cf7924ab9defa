/**
 * A lock shared by the mcps runs on this host, for the one step the engine cannot make atomic:
 * creating a network by name (Docker 20.10's duplicate-name check is a lookup, then a create, so
 * two runs can both pass it). mkdir is atomic; the holder's pid inside lets a waiter break a lock
 * left by a run that died. Where no lock can be made (an unwritable temp folder) or a holder never
 * lets go, the work runs unlocked: networks.ts still removes duplicates, only less surely.
 */
import { mkdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface LockOptions {
  /** How long to wait for a live holder before running unlocked. */
  waitMs?: number;
  /** The folder the locks live in (tests give their own). */
  dir?: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** A lock is stale when its holder is gone, or when it never wrote its pid and is a few seconds old. */
async function stale(path: string): Promise<boolean> {
  const pid = Number.parseInt(await readFile(join(path, "pid"), "utf8").catch(() => ""), 10);
  if (pid > 0) return !alive(pid);
  const made = await stat(path).then(
    (s) => s.mtimeMs,
    () => undefined,
  );
  return made !== undefined && Date.now() - made > 5_000;
}

/** Moves a stale lock aside first, so two waiters breaking it at once cannot remove a fresh one. */
async function breakLock(path: string): Promise<void> {
  const aside = `${path}.stale-${process.pid}-${Math.random().toString(36).slice(2)}`;
  try {
    await rename(path, aside);
  } catch {
    return;
  }
  await rm(aside, { recursive: true, force: true });
}

const uid = () => (typeof process.getuid === "function" ? process.getuid() : "user");

export async function withHostLock<T>(name: string, work: () => Promise<T>, opts: LockOptions = {}): Promise<T> {
  const dir = opts.dir ?? join(tmpdir(), `mcps-${uid()}-locks`);
  const path = join(dir, `${name.replace(/[^A-Za-z0-9._-]/g, "_")}.lock`);
  const deadline = Date.now() + (opts.waitMs ?? 15_000);
  try {
    await mkdir(dir, { recursive: true, mode: 0o700 });
  } catch {
    return work();
  }
  for (;;) {
    try {
      await mkdir(path);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") return work();
      if (await stale(path)) await breakLock(path);
      else if (Date.now() > deadline) return work();
      else await sleep(15 + Math.random() * 35);
      continue;
    }
    try {
      await writeFile(join(path, "pid"), String(process.pid));
      return await work();
    } finally {
      await rm(path, { recursive: true, force: true });
    }
  }
}
