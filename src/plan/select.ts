/** Narrowing a plan to the customers and types a command names. */
import { shown } from "../config/safe-text.js";
import { UsageError } from "../errors.js";
import type { Plan, ServicePlan } from "./types.js";

export interface Selection {
  /** Customer ids or names; empty means all. */
  customers?: string[];
  types?: string[];
}

/**
 * The customer id an argument names: ids first, then names. An argument that is one customer's
 * id and another customer's name is ambiguous, and an error naming both.
 */
export function resolveCustomer(plan: Plan, wanted: string): string {
  const found = customerIdAmong(
    plan.services.map((s) => ({ id: s.customerId, name: s.customerName })),
    wanted,
  );
  if (found === undefined) {
    const known = [...new Set(plan.services.map((s) => s.customerId))].map(shown).join(", ") || "none";
    // `--type grafana alertmanager` once read alertmanager as a customer: say how to name two types.
    const asType = plan.services.some((s) => s.type === wanted)
      ? `; ${shown(wanted)} is an MCP type: --type takes one type, repeat it (--type a --type b)`
      : "";
    throw new UsageError(`unknown customer ${shown(wanted)} (give an id or a name)${asType}; known: ${known}`);
  }
  return found;
}

/** Names match as a person types them: surrounding spaces and case do not count. */
const nameKey = (name: string) => name.trim().toLocaleLowerCase("en");

/**
 * The ids-first rule over any list of (id, name) pairs: a plan's services, or containers' labels.
 * Ids match exactly; names trimmed and case-insensitively, so two names that then look alike are ambiguous.
 */
export function customerIdAmong(customers: Array<{ id: string; name: string }>, wanted: string): string | undefined {
  const byId = customers.find((c) => c.id === wanted);
  const key = nameKey(wanted);
  const named = [...new Map(customers.filter((c) => nameKey(c.name) === key).map((c) => [c.id, c])).values()];
  const byName = named[0];
  if (byId && byName && (named.length > 1 || byName.id !== byId.id)) {
    const other = named.find((c) => c.id !== byId.id)!;
    throw new UsageError(
      `customer ${shown(wanted)} is ambiguous: it is the id of customer ${shown(byId.name)} and the name of customer ${shown(other.id)}; give the id of the one you mean`,
    );
  }
  if (!byId && named.length > 1) {
    throw new UsageError(
      `customer ${shown(wanted)} is ambiguous: it names customers ${named.map((c) => shown(c.id)).join(" and ")}; give the id of the one you mean`,
    );
  }
  return (byId ?? byName)?.id;
}

export function selectServices(plan: Plan, sel: Selection): ServicePlan[] {
  const wantCustomers = new Set((sel.customers ?? []).map((c) => resolveCustomer(plan, c)));
  for (const type of sel.types ?? []) {
    if (!plan.services.some((s) => s.type === type)) {
      const known = [...new Set(plan.services.map((s) => s.type))].join(", ") || "none";
      throw new UsageError(`no service of type ${shown(type)} in the plan; types in use: ${known}`);
    }
  }
  const types = new Set(sel.types ?? []);
  return plan.services.filter((s) => (!wantCustomers.size || wantCustomers.has(s.customerId)) && (!types.size || types.has(s.type)));
}

export function narrowPlan(plan: Plan, services: ServicePlan[]): Plan {
  const keys = new Set(services.map((s) => s.network.key));
  return { ...plan, services, networks: plan.networks.filter((n) => keys.has(n.key)) };
}
