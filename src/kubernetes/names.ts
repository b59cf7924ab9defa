/**
 * Names and labels of the Kubernetes output, in one place: the renderer and `mcps secrets template`
 * must agree on every namespace and Secret name.
 */
import { LABEL, type Plan, type ServicePlan } from "../plan/types.js";

/** Recommended labels (kubernetes.io/docs/concepts/overview/working-with-objects/common-labels). */
export const K8S = {
  name: "app.kubernetes.io/name",
  instance: "app.kubernetes.io/instance",
  component: "app.kubernetes.io/component",
  partOf: "app.kubernetes.io/part-of",
  managedBy: "app.kubernetes.io/managed-by",
} as const;

/** What a pod must carry to reach a customer's MCP servers: `mcps.io/consumer-of: <customer-id>`. */
export const CONSUMER_OF = "mcps.io/consumer-of";
/**
 * What a namespace must carry before its pods may consume from another namespace. Labelling a
 * namespace usually takes more rights than creating a pod, so a tenant who may only create pods
 * cannot grant itself access by labelling one.
 */
export const CONSUMER_NAMESPACE = "mcps.io/consumer-namespace";
export const COMPONENT = "mcp-server";
export const MANAGER = "mcps";

/** Label values: at most 63 characters, alphanumeric at both ends, `-_.` inside (or empty). */
const LABEL_VALUE = /^(?:[A-Za-z0-9](?:[A-Za-z0-9._-]{0,61}[A-Za-z0-9])?)?$/;
export const isLabelValue = (value: string): boolean => LABEL_VALUE.test(value);

/**
 * One namespace per customer, named like its compose network (`<project>-<customer-id>`): the plan
 * already refuses a network name that is not a DNS label of at most 63 characters.
 */
export const namespaceOf = (s: Pick<ServicePlan, "network">): string => s.network.name;

/** The customer's Secret, in its namespace; the name repeats the namespace so a wrong `-n` shows. */
export const secretNameOf = (s: Pick<ServicePlan, "network">): string => `${s.network.name}-credentials`;

/** What a Deployment selects its pods by: immutable after creation, so only what never changes. */
export function selectorOf(s: ServicePlan): Record<string, string> {
  return { [K8S.name]: s.type, [K8S.instance]: s.name };
}

/** The labels every object of a customer carries. */
export function customerLabels(plan: Plan, customerId: string): Record<string, string> {
  return { [K8S.partOf]: plan.project, [K8S.managedBy]: MANAGER, [LABEL.project]: plan.project, [LABEL.customer]: customerId };
}

/**
 * The plan's labels that are valid label values, plus the recommended ones. The customer's name is
 * free text (spaces, any letter), never a valid label value: it and anything else that does not
 * fit go to annotations. The config hash (64 hex characters) is too long for a label value.
 */
export function serviceLabels(plan: Plan, s: ServicePlan): { labels: Record<string, string>; annotations: Record<string, string> } {
  const labels: Record<string, string> = { ...selectorOf(s), [K8S.component]: COMPONENT, ...customerLabels(plan, s.customerId) };
  const annotations: Record<string, string> = {};
  for (const [key, value] of Object.entries(s.labels)) {
    if (key === LABEL.hash) continue;
    if (key !== LABEL.customerName && isLabelValue(value)) labels[key] = value;
    else annotations[key] = value;
  }
  return { labels, annotations };
}

/** Customers of the plan in id order, each with its services (already sorted by name). */
export function customersOf(plan: Plan): Array<{ id: string; services: ServicePlan[] }> {
  const byId = new Map<string, ServicePlan[]>();
  for (const s of plan.services) byId.set(s.customerId, [...(byId.get(s.customerId) ?? []), s]);
  return [...byId.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([id, services]) => ({ id, services }));
}

/** The secret variables a customer's services reference, sorted and without repeats. */
export function secretVarsOf(services: ServicePlan[]): string[] {
  const vars = new Set<string>();
  for (const s of services) for (const e of s.env) if ("fromVar" in e) vars.add(e.fromVar);
  return [...vars].sort();
}
