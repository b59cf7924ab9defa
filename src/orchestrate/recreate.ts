/**
 * Recreate like compose: the replacement is created FIRST, under a temporary name, so a failed create
 * leaves the old container running untouched. Then the swap:
 *   1. create <name>-mcps-next (not started: it cannot bind the host port while the old one holds it)
 *   2. stop the old one            -> the host port is free
 *   3. start the replacement       -> on failure: remove it and start the old one again
 *   4. remove the old one, rename the replacement to <name>
 * Guaranteed: a failure in 1 leaves the old container as it was; a failure in 2-3 leaves the old one
 * (started again if it ran) and no replacement. The service is down between 2 and 3, for the old
 * one's stop grace period plus a start: one host port cannot be bound twice.
 * Interrupted (Ctrl-C) anywhere, the next run finds the replacement by its temporary name and settles
 * it (settleReplacement) before reconciling as usual.
 */
import os from "node:os";
import type { ContainerDetails, ContainerEngine, ContainerSpec, ContainerState } from "../engine/container-engine.js";
import { EngineError, NameTakenError, NotFoundError } from "../errors.js";
import type { Clock } from "../health/wait-until.js";
import { isAmbiguousNetwork, Raced } from "./race.js";

/** Which mcps process created a container ("host/pid"): tells another run's swap in progress from a leftover. */
export const CREATED_BY = "mcps.created-by";

export const replacementName = (containerName: string) => `${containerName}-mcps-next`;

export function createdByThisProcess(): string {
  return `${os.hostname()}/${process.pid}`;
}

/** True unless we can tell the creating process is gone (same host, no such pid). */
function creatorMayBeAlive(createdBy: string | undefined): boolean {
  const m = createdBy ? /^(.*)\/(\d+)$/.exec(createdBy) : null;
  if (!m) return false;
  if (m[1] !== os.hostname()) return true;
  try {
    process.kill(Number(m[2]), 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

const running = (d: ContainerDetails) => d.state === "running" || d.state === "restarting" || d.state === "paused";
const message = (e: unknown) => (e instanceof Error ? e.message : String(e)).split("\n")[0]!;

/** Swaps `old` for a new container made from `spec`; returns the new container's ID. */
export async function recreate(engine: ContainerEngine, old: ContainerDetails, spec: ContainerSpec, stopTimeoutMs: number): Promise<string> {
  let id: string;
  try {
    id = await engine.create({ ...spec, name: replacementName(spec.name) });
  } catch (e) {
    if (e instanceof NameTakenError) throw new Raced(`another run is replacing ${spec.name}`);
    throw e;
  }
  const wasRunning = running(old);
  try {
    if (wasRunning) await engine.stop(old.id, stopTimeoutMs);
    await engine.start(id);
  } catch (e) {
    await engine.remove(id).catch(() => undefined);
    if (isAmbiguousNetwork(e)) {
      if (wasRunning) await engine.start(old.id).catch(() => undefined);
      throw new Raced(`a duplicate network is being removed`);
    }
    // Gone or started meanwhile: another run replaced or started it; what is there now must be reconciled.
    const now = await engine.inspect(old.id);
    if (!now) throw new Raced(`${spec.name} was replaced by another run`);
    if (!wasRunning && running(now)) throw new Raced(`${spec.name} was started by another run`);
    if (wasRunning) await engine.start(old.id).catch(() => undefined);
    throw new EngineError(
      `the replacement of ${spec.name} did not start: ${message(e)}; the previous container ${wasRunning ? "was started again" : "was kept"}`,
    );
  }
  await engine.remove(old.id);
  try {
    await engine.rename(id, spec.name);
  } catch (e) {
    if (!(e instanceof NameTakenError)) throw e;
    // Someone created the name after we removed the old one: theirs stays, ours goes.
    await engine.remove(id);
    throw new Raced(`${spec.name} was created by another run during the swap`);
  }
  return id;
}

/**
 * A container under the temporary name: another run's swap in progress (wait for it, bounded), or the
 * leftover of an interrupted run: discarded when the old container is still there (it is reconciled
 * again as usual), adopted (renamed) when the old one is already gone. The caller reads again after.
 */
export async function settleReplacement(
  engine: ContainerEngine,
  next: ContainerState,
  current: ContainerState | undefined,
  finalName: string,
  wait: { clock: Clock; timeoutMs: number },
): Promise<void> {
  if (creatorMayBeAlive(next.labels[CREATED_BY])) {
    const start = wait.clock.now();
    while (wait.clock.now() - start < wait.timeoutMs) {
      await wait.clock.sleep(200);
      if (!(await engine.findByName(next.name))) return;
    }
  }
  if (current) {
    await engine.remove(next.id);
    return;
  }
  try {
    await engine.rename(next.id, finalName);
  } catch (e) {
    if (!(e instanceof NameTakenError) && !(e instanceof NotFoundError)) throw e;
  }
}
