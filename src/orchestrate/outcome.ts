/** What happened to each service, and the per-customer summary the agent's switch response uses. */
import type { ServicePlan } from "../plan/types.js";

export type Action = "created" | "recreated" | "started" | "unchanged" | "stopped" | "already stopped" | "failed";

export interface ServiceOutcome {
  service: string;
  customer: string;
  type: string;
  action: Action;
  url: string;
  /** Why it failed; never contains a secret value. */
  reason?: string;
}

export interface CustomerResult {
  customer: string;
  connected_mcps: string[];
  failed_mcps: Array<{ type: string; reason: string }>;
}

export function outcome(s: ServicePlan, action: Action, reason?: string): ServiceOutcome {
  return { service: s.name, customer: s.customerId, type: s.type, action, url: s.url, ...(reason !== undefined && { reason }) };
}

export function byCustomer(outcomes: ServiceOutcome[]): CustomerResult[] {
  const results = new Map<string, CustomerResult>();
  for (const o of outcomes) {
    const r = results.get(o.customer) ?? { customer: o.customer, connected_mcps: [], failed_mcps: [] };
    if (o.action === "failed") r.failed_mcps.push({ type: o.type, reason: o.reason ?? "failed" });
    else r.connected_mcps.push(o.type);
    results.set(o.customer, r);
  }
  return [...results.values()];
}
