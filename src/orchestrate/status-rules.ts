/**
 * Pure rules of `status`: the verdict that decides the exit code (what is stale or misconfigured is
 * start's own rule, staleness.ts, so the two commands never disagree). Exit 0 only when every row is ok:
 *
 * - a planned service is ok when its container runs, is current (not stale, not misconfigured), and
 *   answers MCP (with --no-probe: Docker's health is healthy, or the image has no health check);
 * - `starting`: the container runs inside its start period, Docker's health is still `starting`, and
 *   (with probes) MCP does not answer yet. Not failed, not ok either: it counts as not ok (exit 1);
 * - `stopped`: exited because someone stopped it (mcps stop, docker stop), not because it failed. It does
 *   not fail status, unless its customer was asked for by name (`mcps status segurcaixa`);
 * - an orphan (a container of the project that the plan no longer has) is ok only while it runs and is
 *   healthy (or has no health check); restarting, exited, dead or unhealthy orphans count (exit 1).
 */
import type { ContainerDetails, ContainerState, Health } from "../engine/container-engine.js";
import type { ProbeResult } from "../health/mcp-probe.js";
import type { ServicePlan } from "../plan/types.js";

export type Verdict = "ok" | "starting" | "stopped" | "fail";

/**
 * Exited on purpose: under `unless-stopped` or `always` Docker restarts every crash, so an exited
 * container was stopped (unless the kernel killed it for memory); under any other policy, an exit
 * code of 0 or 143 (SIGTERM, what docker stop sends) is a stop too.
 */
export function stoppedOnPurpose(c: ContainerDetails): boolean {
  if (c.state !== "exited" || c.oomKilled) return false;
  if (c.settings.restart === "unless-stopped" || c.settings.restart === "always") return true;
  return c.exitCode === 0 || c.exitCode === 143;
}

/** Docker keeps the last health status of a stopped container; it says nothing about now. */
export function currentHealth(c: ContainerState | undefined): Health {
  return c && (c.state === "running" || c.state === "restarting") ? c.health : "none";
}

/** Still inside the start period: Docker does not count failures yet, and neither do we. */
export function withinStartPeriod(c: ContainerDetails, startPeriodMs: number, nowMs: number): boolean {
  if (!c.startedAt) return false;
  return nowMs - Date.parse(c.startedAt) < startPeriodMs;
}

export interface PlannedFacts {
  plan: ServicePlan;
  container: ContainerDetails | undefined;
  mcp: ProbeResult | null;
  stale: string[];
  misconfigured: string[];
  probed: boolean;
  nowMs: number;
}

export function plannedVerdict(f: PlannedFacts): Verdict {
  const c = f.container;
  if (c && stoppedOnPurpose(c)) return "stopped";
  if (c?.state !== "running") return "fail";
  const answers = f.probed ? f.mcp?.ok === true : c.health === "healthy" || c.health === "none";
  if (answers) return f.stale.length || f.misconfigured.length ? "fail" : "ok";
  const starting = c.health === "starting" && withinStartPeriod(c, f.plan.healthcheck.startPeriodMs, f.nowMs);
  return starting ? "starting" : "fail";
}

export function orphanVerdict(c: ContainerDetails): Verdict {
  return c.state === "running" && (c.health === "healthy" || c.health === "none") ? "ok" : "fail";
}

/** One short reason, for the NOTE column and the lines under the table. Never a variable's value. */
export function noteFor(f: {
  container: ContainerDetails | undefined;
  mcp: ProbeResult | null;
  stale: string[];
  misconfigured: string[];
  orphan: boolean;
  verdict: Verdict;
}): string {
  const c = f.container;
  const parts: string[] = [];
  if (!c) return "no container (run mcps start)";
  if (f.orphan) parts.push("orphan: not in the config (mcps down, or add it back)");
  if (f.stale.length) parts.push(`stale: ${f.stale.join("; ")}`);
  if (f.misconfigured.length) parts.push(`misconfigured: ${f.misconfigured.join(", ")} blank`);
  if (c.oomKilled) parts.push("OOM killed");
  if (c.state === "restarting" || c.state === "dead" || (c.state === "exited" && f.verdict !== "stopped")) {
    parts.push(`exit code ${c.exitCode}${c.restartCount ? `, ${c.restartCount} restarts` : ""}`);
  }
  if (c.error) parts.push(c.error);
  if (f.verdict === "starting") parts.push("in its start period");
  if (f.verdict === "stopped") parts.push("stopped (mcps start brings it back)");
  if (f.mcp && !f.mcp.ok && f.mcp.error) parts.push(`probe: ${f.mcp.error}`);
  if (c.health === "unhealthy" && c.lastHealthOutput) parts.push(`health: ${c.lastHealthOutput.replace(/\s+/g, " ").trim()}`);
  return parts.join("; ");
}
