/** Narrowing a plan to the customers and types a command names. */
import { UsageError } from "../errors.js";
import type { Plan, ServicePlan } from "./types.js";

export interface Selection {
  /** Customer ids or names; empty means all. */
  customers?: string[];
  types?: string[];
}

export function selectServices(plan: Plan, sel: Selection): ServicePlan[] {
  const wantCustomers = new Set<string>();
  for (const wanted of sel.customers ?? []) {
    const found = plan.services.find((s) => s.customerId === wanted || s.customerName === wanted);
    if (!found) {
      const known = [...new Set(plan.services.map((s) => s.customerId))].join(", ") || "none";
      throw new UsageError(`unknown customer ${JSON.stringify(wanted)} (give an id or a name); known: ${known}`);
    }
    wantCustomers.add(found.customerId);
  }
  for (const type of sel.types ?? []) {
    if (!plan.services.some((s) => s.type === type)) {
      const known = [...new Set(plan.services.map((s) => s.type))].join(", ") || "none";
      throw new UsageError(`no service of type ${JSON.stringify(type)} in the plan; types in use: ${known}`);
    }
  }
  const types = new Set(sel.types ?? []);
  return plan.services.filter(
    (s) => (!wantCustomers.size || wantCustomers.has(s.customerId)) && (!types.size || types.has(s.type)),
  );
}

export function narrowPlan(plan: Plan, services: ServicePlan[]): Plan {
  const keys = new Set(services.map((s) => s.network.key));
  return { ...plan, services, networks: plan.networks.filter((n) => keys.has(n.key)) };
}
