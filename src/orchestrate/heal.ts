/**
 * Heal what runs but does not serve: a container Docker calls unhealthy, or one that is past its start
 * period and does not answer an MCP handshake through its published port (a hung process still "runs").
 * The probe is asked three times before a restart, so a slow answer does not restart a working server.
 */
import type { ContainerDetails, ContainerEngine } from "../engine/container-engine.js";
import type { ProbeOptions, ProbeResult, Transport } from "../health/mcp-probe.js";
import type { Clock } from "../health/wait-until.js";
import type { ServicePlan } from "../plan/types.js";
import { type Verdict, verdict } from "./verdict.js";

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

/**
 * Why this running container must be restarted, or undefined when it serves (or is still starting):
 * the verdict (verdict.ts) is failing. Docker's judgement comes first (unhealthy or paused: restart at
 * once; health still starting: wait, Docker calls it unhealthy if it never answers); then the probe.
 * Staleness and blank secrets are converge's, which ran before: heal judges only whether it serves.
 */
export async function unhealthyReason(s: ServicePlan, d: ContainerDetails, deps: HealDeps): Promise<string | undefined> {
  const judge = (probe?: ProbeResult) => verdict(s, { container: d, ...(probe && { probe }), stale: [], misconfigured: [], nowMs: deps.now() });
  const byDocker = judge();
  if (byDocker.kind === "failing") return byDocker.reason;
  // Inside its start period even no answer is `starting`, not failing: nothing to probe for yet.
  if (byDocker.kind === "starting" || judge({ ok: false, latencyMs: 0 }).kind !== "failing") return undefined;
  let last: Verdict | undefined;
  for (let i = 0; i < PROBE_ATTEMPTS; i++) {
    if (i) await deps.clock.sleep(500);
    last = judge(await deps.probe(s.url, s.transport, { timeoutMs: PROBE_TIMEOUT_MS }));
    if (last.kind !== "failing") return undefined;
  }
  return last?.reason;
}

/** Stop (briefly: it is not serving anyway) and start again: the same container, config and secrets. */
export async function restart(engine: ContainerEngine, id: string): Promise<void> {
  await engine.stop(id, HEAL_STOP_GRACE_MS);
  await engine.start(id);
}
