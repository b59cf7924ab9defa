/** What happened to each service, and the per-customer summary the agent's switch response uses. */
import type { ServicePlan } from "../plan/types.js";

/**
 * start: created | recreated (detail: what was stale) | started | unchanged | restarted (detail:
 * why it was unhealthy) | misconfigured (a blank secret in the container that cannot be fixed yet) | failed.
 * stop: stopped | already stopped | failed.
 */
export type Action = "created" | "recreated" | "started" | "unchanged" | "restarted" | "misconfigured" | "stopped" | "already stopped" | "failed";

export interface ServiceOutcome {
  service: string;
  customer: string;
  type: string;
  action: Action;
  url: string;
  /** Why it was recreated or restarted, e.g. "stale: memory 256 MiB, plan 128 MiB" or "unhealthy: no MCP answer". */
  detail?: string;
  /** Why it failed or is misconfigured. The first line sums up; log lines may follow. Never a secret value. */
  reason?: string;
}

export interface CustomerResult {
  customer: string;
  connected_mcps: string[];
  failed_mcps: Array<{ type: string; reason: string }>;
}

export function outcome(s: ServicePlan, action: Action, more: { detail?: string; reason?: string } = {}): ServiceOutcome {
  return {
    service: s.name,
    customer: s.customerId,
    type: s.type,
    action,
    url: s.url,
    ...(more.detail !== undefined && { detail: more.detail }),
    ...(more.reason !== undefined && { reason: more.reason }),
  };
}

/** Failed and misconfigured services do not serve: both count against the customer and the exit code. */
export function isFailure(o: { action: Action }): boolean {
  return o.action === "failed" || o.action === "misconfigured";
}

/** "recreated (stale: image)", "restarted (unhealthy: ...)": the action as a person reads it. */
export function describeAction(o: ServiceOutcome): string {
  return o.detail && !isFailure(o) ? `${o.action} (${o.detail})` : o.action;
}

export function byCustomer(outcomes: ServiceOutcome[]): CustomerResult[] {
  const results = new Map<string, CustomerResult>();
  for (const o of outcomes) {
    const r = results.get(o.customer) ?? { customer: o.customer, connected_mcps: [], failed_mcps: [] };
    if (isFailure(o)) r.failed_mcps.push({ type: o.type, reason: o.reason ?? o.action });
    else r.connected_mcps.push(o.type);
    results.set(o.customer, r);
  }
  return [...results.values()];
}
