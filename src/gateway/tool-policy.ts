/**
 * The gateway's policy and names: a server's tool `search` of type `grafana` is `grafana_search` on
 * /mcp/<customer>. Type names have no `_` (catalog rule), so the first `_` splits a name unambiguously.
 */
import { globMatcher } from "../config/tool-glob.js";
import type { ToolPolicyPlan } from "../plan/types.js";

const exposeAll = () => true;
/** Compiled once per policy (a plan's policy object lives as long as the plan): every call checks it. */
const compiled = new WeakMap<ToolPolicyPlan, (tool: string) => boolean>();

/** Exposed when it matches an allow glob (or there is no allow list) and no deny glob. */
export function policyFilter(policy: ToolPolicyPlan | undefined): (tool: string) => boolean {
  if (!policy) return exposeAll;
  const known = compiled.get(policy);
  if (known) return known;
  const allowed = policy.allow ? globMatcher(policy.allow) : exposeAll;
  const denied = globMatcher(policy.deny);
  const filter = (tool: string) => allowed(tool) && !denied(tool);
  compiled.set(policy, filter);
  return filter;
}

export const prefixed = (type: string, name: string): string => `${type}_${name}`;

/** `grafana_search` -> { type: "grafana", name: "search" }; undefined when there is no type part. */
export function splitPrefixed(name: string): { type: string; name: string } | undefined {
  const at = name.indexOf("_");
  if (at <= 0 || at === name.length - 1) return undefined;
  return { type: name.slice(0, at), name: name.slice(at + 1) };
}
