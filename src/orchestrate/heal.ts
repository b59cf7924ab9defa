/**
 * Heal what runs but does not serve: a container Docker calls unhealthy, or one that is past its start
 * period and does not answer an MCP handshake through its published port (a hung process still "runs").
 * The probe is asked three times before a restart, so a slow answer does not restart a working server.
 */
import type { ContainerDetails, ContainerEngine } from "../engine/container-engine.js";
import type { ProbeOptions, ProbeResult, Transport } from "../health/mcp-probe.js";
import type { Clock } from "../health/wait-until.js";
import type { ServicePlan } from "../plan/types.js";

export type Prober = (url: string, transport: Transport, opts: ProbeOptions) => Promise<ProbeResult>;

export interface HealDeps {
  probe: Prober;
  clock: Clock;
  /** Wall-clock milliseconds, compared with the engine's StartedAt. */
  now: () => number;
}

const PROBE_TIMEOUT_MS = 2500;
const PROBE_ATTEMPTS = 3;
/** A server that does not serve gets little grace: a hung one ignores SIGTERM until the kill anyway. */
export const HEAL_STOP_GRACE_MS = 3000;

/** Why this running container must be restarted, or undefined when it serves (or is still starting). */
export async function unhealthyReason(s: ServicePlan, d: ContainerDetails, deps: HealDeps): Promise<string | undefined> {
  if (d.state === "paused") return "paused";
  if (d.health === "unhealthy") {
    const output = d.lastHealthOutput?.split("\n")[0];
    return `Docker health check failed ${d.healthFailingStreak} time${d.healthFailingStreak === 1 ? "" : "s"}${output ? `: ${output}` : ""}`;
  }
  // Docker has not yet seen it answer: it may just be slow to start (a loaded host), and Docker itself
  // calls it unhealthy if it never does. The probe judges what Docker saw serving, or cannot judge.
  if (d.health === "starting") return undefined;
  const upMs = d.startedAt ? deps.now() - Date.parse(d.startedAt) : Number.POSITIVE_INFINITY;
  if (upMs < s.healthcheck.startPeriodMs) return undefined;
  let last: ProbeResult | undefined;
  for (let i = 0; i < PROBE_ATTEMPTS; i++) {
    if (i) await deps.clock.sleep(500);
    last = await deps.probe(s.url, s.transport, { timeoutMs: PROBE_TIMEOUT_MS });
    if (last.ok) return undefined;
  }
  return `no MCP answer at ${s.url}: ${last?.error ?? "no answer"}`;
}

/** Stop (briefly: it is not serving anyway) and start again: the same container, config and secrets. */
export async function restart(engine: ContainerEngine, id: string): Promise<void> {
  await engine.stop(id, HEAL_STOP_GRACE_MS);
  await engine.start(id);
}
