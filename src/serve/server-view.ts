/** One planned service as the dashboard sees it, and what kind of change separates two views. */
import type { ContainerDetails } from "../engine/container-engine.js";
import type { ProbeResult } from "../health/mcp-probe.js";
import { currentHealth } from "../orchestrate/status-rules.js";
import type { ServicePlan } from "../plan/types.js";
import type { CustomerState, FleetEventName, ServerView } from "./fleet-types.js";

export interface HeldProbe {
  result: ProbeResult;
  /** ISO 8601. */
  at: string;
}

function whyNot(c: ContainerDetails | undefined, p: HeldProbe | undefined): string | null {
  if (!c) return "no container";
  if (c.state !== "running") return `container ${c.state}${c.state === "exited" || c.state === "dead" ? ` (exit code ${c.exitCode})` : ""}`;
  if (!p) return null;
  return p.result.ok ? null : (p.result.error ?? "no MCP answer");
}

export function serverView(s: ServicePlan, c: ContainerDetails | undefined, p: HeldProbe | undefined): ServerView {
  const running = c?.state === "running";
  const ok = running && p?.result.ok === true;
  return {
    customer: s.customerId,
    customerName: s.customerName,
    type: s.type,
    service: s.name,
    url: s.url,
    transport: s.transport,
    state: c?.state ?? "missing",
    health: currentHealth(c),
    ok,
    latencyMs: ok ? p.result.latencyMs : null,
    tools: ok ? (p.result.tools ?? []) : [],
    protocolVersion: ok ? (p.result.protocolVersion ?? null) : null,
    error: whyNot(c, p),
    restarts: c?.restartCount ?? 0,
    probedAt: running ? (p?.at ?? null) : null,
  };
}

/**
 * The event a change is: state before health before probe (one event per change). A new probe that
 * says the same as the last one (ok, tools, error) is no change, so a steady fleet sends nothing.
 */
export function changeKind(before: ServerView | undefined, after: ServerView): FleetEventName | undefined {
  if (!before || before.state !== after.state) return "state";
  if (before.health !== after.health) return "health";
  if (
    before.ok !== after.ok ||
    before.error !== after.error ||
    before.protocolVersion !== after.protocolVersion ||
    before.tools.join("\n") !== after.tools.join("\n")
  )
    return "probe";
  return undefined;
}

export function customerState(views: ServerView[]): CustomerState {
  const running = views.filter((v) => v.state === "running").length;
  if (running === 0) return "stopped";
  return running === views.length ? "running" : "partial";
}
