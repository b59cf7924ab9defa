/** One planned service as the dashboard sees it, and what kind of change separates two views. */
import { policyFilter } from "../gateway/tool-policy.js";
import type { ContainerDetails } from "../engine/container-engine.js";
import type { ProbeResult } from "../health/mcp-probe.js";
import { blankSecrets, staleReasons } from "../orchestrate/staleness.js";
import { currentHealth, verdict } from "../orchestrate/verdict.js";
import type { ServicePlan } from "../plan/types.js";
import type { CustomerState, FleetEventName, ServerView } from "./fleet-types.js";
import type { HeldEngine } from "./held-engine.js";

export interface HeldProbe {
  result: ProbeResult;
  /** ISO 8601. */
  at: string;
}

/** What staleness is judged by, as serve holds it: the image the tag points to, the customer's network. */
function staleness(s: ServicePlan, c: ContainerDetails | undefined, held: HeldEngine): string[] {
  if (!c) return [];
  const networkId = held.networks.find((n) => n.name === s.network.name)?.id ?? "";
  return staleReasons(s, { details: c, imageId: held.images.get(s.image), networkId });
}

/** The verdict (verdict.ts, the same as `mcps status`) and what the dashboard shows beside it. */
export function serverView(s: ServicePlan, held: HeldEngine, p: HeldProbe | undefined, nowMs: number): ServerView {
  const c = held.byName(s.containerName);
  const running = c?.state === "running";
  const probe = running ? p?.result : undefined;
  const v = verdict(s, { container: c, ...(probe && { probe }), stale: staleness(s, c, held), misconfigured: c ? blankSecrets(s, c) : [], nowMs });
  const answered = probe?.ok === true;
  return {
    customer: s.customerId,
    customerName: s.customerName,
    type: s.type,
    service: s.name,
    url: s.url,
    transport: s.transport,
    state: c?.state ?? "missing",
    health: currentHealth(c),
    verdict: v.kind,
    ok: v.kind === "ok",
    latencyMs: answered ? probe.latencyMs : null,
    // The gateway's policy hides tools from the page as from /mcp/<customer>; the total stays visible.
    tools: answered ? (probe.tools ?? []).filter(policyFilter(s.tools)) : [],
    toolsTotal: answered ? (probe.tools ?? []).length : 0,
    protocolVersion: answered ? (probe.protocolVersion ?? null) : null,
    error: v.reason || null,
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
    before.verdict !== after.verdict ||
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
