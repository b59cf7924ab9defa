/**
 * --wait: a service is ready when it answers a real MCP handshake through its published port. Waiting
 * stops early, with the reason, as soon as the container shows it will not get there: it exited, it
 * restarted (a crash loop), or Docker's own health check calls it unhealthy.
 */
import type { ContainerEngine } from "../engine/container-engine.js";
import type { Clock } from "../health/wait-until.js";
import type { ServicePlan } from "../plan/types.js";
import { downBetweenRuns } from "./crash-loop.js";
import { crashReason } from "./explain.js";
import type { Prober } from "./heal.js";
import { verdict } from "./verdict.js";

export interface WaitTarget {
  s: ServicePlan;
  containerId: string;
  /** The container's restart count when we left it running; more means it crashed since. */
  restartBaseline: number;
  secrets: string[];
}

export type WaitResult = { ok: true; latencyMs: number } | { ok: false; reason: string };

const INTERVAL_MS = 300;
const MAX_PROBE_MS = 3000;
const MIN_PROBE_MS = 500;

export async function waitServing(
  engine: ContainerEngine,
  t: WaitTarget,
  deps: { probe: Prober; clock: Clock; timeoutMs: number },
): Promise<WaitResult> {
  const { clock, timeoutMs } = deps;
  const start = clock.now();
  const left = () => timeoutMs - (clock.now() - start);
  for (;;) {
    const probeMs = Math.max(MIN_PROBE_MS, Math.min(MAX_PROBE_MS, left()));
    const r = await deps.probe(t.s.url, t.s.transport, { timeoutMs: probeMs });
    if (r.ok) return { ok: true, latencyMs: r.latencyMs };
    const d = await engine.inspect(t.containerId);
    if (!d) return { ok: false, reason: "the container was removed while waiting for it" };
    if (d.state === "exited" || d.state === "dead" || d.state === "restarting" || d.restartCount > t.restartBaseline) {
      const settled = d.state === "running" ? await downBetweenRuns(engine, t.containerId, clock) : d;
      return { ok: false, reason: await crashReason(engine, settled ?? d, t.secrets) };
    }
    // Docker's judgement (the verdict without a probe): failing there will not get better by waiting.
    const byDocker = verdict(t.s, { container: d, stale: [], misconfigured: [], nowMs: Date.now() });
    if (byDocker.kind === "failing") return { ok: false, reason: byDocker.reason };
    if (left() <= 0) return { ok: false, reason: `no MCP answer at ${t.s.url} within ${Math.round(timeoutMs / 1000)} s: ${r.error ?? "not ready"}` };
    await clock.sleep(Math.min(INTERVAL_MS, left()));
  }
}
