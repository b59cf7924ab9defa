/** Ending a child process the tests started: SIGTERM, then SIGKILL if it has not ended within the grace. */
import type { ChildProcess } from "node:child_process";

/** Resolves true when it ended on SIGTERM (or had ended already), false when it needed SIGKILL. */
export async function stopChild(child: ChildProcess, graceMs = 10_000): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return true;
  const exited = new Promise((r) => child.once("exit", r));
  child.kill("SIGTERM");
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([exited, new Promise((r) => (timer = setTimeout(r, graceMs)))]);
  clearTimeout(timer);
  if (child.exitCode !== null || child.signalCode !== null) return true;
  child.kill("SIGKILL");
  return false;
}
