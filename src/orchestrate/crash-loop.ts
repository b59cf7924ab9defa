/**
 * A crash-looping container is "running" for a fraction of a second between restarts, and a start
 * resets its exit code: one look can miss it. These look again, briefly, when there is reason to.
 */
import type { ContainerDetails, ContainerEngine } from "../engine/container-engine.js";
import type { Clock } from "../health/wait-until.js";

const LOOK_EVERY_MS = 50;
/** Docker's restart delay starts at 100 ms and doubles: early in a loop, 2 s sees it go down. */
const WATCH_MS = 2000;

/** The container's details the next time it is down (with its real exit code), or its last state if it stays up. */
export async function downBetweenRuns(engine: ContainerEngine, id: string, clock: Clock): Promise<ContainerDetails | undefined> {
  let d: ContainerDetails | undefined;
  for (let waited = 0; waited <= WATCH_MS; waited += LOOK_EVERY_MS) {
    d = await engine.inspect(id);
    if (d?.state !== "running") return d;
    await clock.sleep(LOOK_EVERY_MS);
  }
  return d;
}

/**
 * Undefined when the container serves its time normally; its details when it is in a crash loop:
 * restarting now, or restarted before and up only briefly, then seen going down again.
 */
export async function crashLoop(
  engine: ContainerEngine,
  d: ContainerDetails,
  clock: Clock,
  upMs: number,
  recentMs: number,
): Promise<ContainerDetails | undefined> {
  if (d.state === "restarting") return d;
  if (d.restartCount === 0 || upMs > recentMs) return undefined;
  const seen = await downBetweenRuns(engine, d.id, clock);
  return seen && (seen.state !== "running" || seen.restartCount > d.restartCount) ? seen : undefined;
}
