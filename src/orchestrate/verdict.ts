/**
 * The one verdict: whether a planned service is fine, and why not. `mcps status`, serve's view and
 * /api/status, the metrics, heal, `start --wait` and the dashboard all read it; none decides on its own.
 *
 * - stopped: no container, a container created but never started, or one that exited because someone
 *   stopped it (mcps stop, docker stop). Nothing failed; `mcps start` brings it back;
 * - failing: the container crashed, restarts, is dead or paused, Docker's health check calls it
 *   unhealthy, or it is past its start period and does not answer MCP;
 * - misconfigured: a secret reached the container blank (compose up without the credentials);
 * - stale: the container differs from the plan (start's own rule, staleness.ts);
 * - starting: it runs and does not answer yet, but Docker has not decided (health `starting`) or it is
 *   inside its start period;
 * - ok: it runs, is current, and answers MCP (without a probe: Docker's health is healthy, or none).
 *
 * Without a probe result the verdict is Docker's judgement alone: what `status --no-probe` shows, what
 * serve holds before its first probe, and what `--wait` uses to stop waiting early.
 */
import type { ContainerDetails, ContainerState, Health } from "../engine/container-engine.js";
import type { ProbeResult } from "../health/mcp-probe.js";
import type { EnvEntry, ServicePlan } from "../plan/types.js";

export type VerdictKind = "ok" | "failing" | "starting" | "stale" | "misconfigured" | "stopped";

export interface Verdict {
  kind: VerdictKind;
  /** One line saying why (empty for ok). Never a variable's value. */
  reason: string;
}

export interface Seen {
  container: ContainerDetails | undefined;
  /** This run's MCP probe; undefined when there is none (not asked for, or not probed yet). */
  probe?: ProbeResult;
  /** What differs from the plan (staleness.ts); empty when current. */
  stale: string[];
  /** Container variables that hold a blank secret (staleness.ts blankSecrets). */
  misconfigured: string[];
  nowMs: number;
}

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
function withinStartPeriod(c: ContainerDetails, startPeriodMs: number, nowMs: number): boolean {
  if (!c.startedAt) return false;
  return nowMs - Date.parse(c.startedAt) < startPeriodMs;
}

const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? "" : "s"}`;

function crashed(c: ContainerDetails): string {
  const exit = c.state === "created" ? "created, never started" : `exit code ${c.exitCode}`;
  const parts = [c.oomKilled ? "OOM killed" : "", c.restartCount ? `${exit}, ${plural(c.restartCount, "restart")}` : exit];
  if (c.error) parts.push(c.error);
  return parts.filter(Boolean).join("; ");
}

/** "set GRAFANA_TOKEN_ACME, then mcps start": the user's variable first, the container's in brackets. */
function blankReason(env: EnvEntry[], blank: string[]): string {
  const host = blank.map((name) => {
    const e = env.find((x) => x.name === name);
    return e && "fromVar" in e ? e.fromVar : name;
  });
  return `misconfigured: set ${host.join(", ")}, then mcps start (blank in the container: ${blank.join(", ")})`;
}

function healthFailed(c: ContainerDetails): string {
  const output = c.lastHealthOutput?.split("\n")[0]?.trim();
  return `Docker health check failed ${plural(c.healthFailingStreak, "time")}${output ? `: ${output}` : ""}`;
}

export function verdict(desired: ServicePlan, seen: Seen): Verdict {
  const c = seen.container;
  if (!c) return { kind: "stopped", reason: "no container (mcps start creates it)" };
  if (stoppedOnPurpose(c) || (c.state === "created" && !c.error)) return { kind: "stopped", reason: "stopped (mcps start brings it back)" };
  if (c.state === "paused") return { kind: "failing", reason: "paused" };
  if (c.state !== "running") return { kind: "failing", reason: crashed(c) };
  if (seen.misconfigured.length) return { kind: "misconfigured", reason: blankReason(desired.env, seen.misconfigured) };
  if (seen.stale.length) return { kind: "stale", reason: `stale: ${seen.stale.join("; ")} (mcps start recreates it)` };
  if (c.health === "unhealthy") return { kind: "failing", reason: healthFailed(c) };
  const answers = seen.probe ? seen.probe.ok : c.health === "healthy" || c.health === "none";
  if (answers) return { kind: "ok", reason: "" };
  const probeError = seen.probe?.error ?? "no answer";
  if (c.health === "starting" || withinStartPeriod(c, startPeriodMs(desired), seen.nowMs)) {
    return { kind: "starting", reason: seen.probe ? `in its start period (probe: ${probeError})` : "in its start period" };
  }
  return { kind: "failing", reason: `no MCP answer at ${desired.url}: ${probeError}` };
}

function startPeriodMs(s: ServicePlan): number {
  return s.healthcheck.startPeriodMs;
}

/** An orphan (a container of the project the plan no longer has) is fine only while it runs healthy. */
export function orphanVerdict(c: ContainerDetails): Verdict {
  const note = "orphan: not in the config (mcps down, or add it back)";
  if (c.state === "running" && (c.health === "healthy" || c.health === "none")) return { kind: "ok", reason: note };
  const why = c.state === "running" ? healthFailed(c) : crashed(c);
  return { kind: "failing", reason: `${note}; ${why}` };
}
