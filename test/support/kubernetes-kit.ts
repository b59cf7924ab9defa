/** Shared by the Kubernetes tests: render from a config, parse every document, validate every object. */
import { Deployment } from "kubernetes-models/apps/v1/Deployment";
import { NetworkPolicy } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicy";
import { Namespace } from "kubernetes-models/v1/Namespace";
import { Secret } from "kubernetes-models/v1/Secret";
import { Service } from "kubernetes-models/v1/Service";
import { parseAllDocuments } from "yaml";
import { loadPlan } from "../../src/load/load-plan.js";
import { envFormats, renderKubernetes } from "../../src/kubernetes/render-kubernetes.js";
import type { Plan } from "../../src/plan/types.js";
import { type FieldChecker, unknownFieldChecker } from "./kubernetes-fields.js";

/** Parsed YAML, walked freely in assertions. */
export type Obj = any;

export async function renderFrom(config: string, catalog: string): Promise<{ plan: Plan; files: Map<string, string> }> {
  const loaded = await loadPlan({ config, catalog });
  return { plan: loaded.plan, files: renderKubernetes(loaded.plan, { formats: envFormats(loaded.catalog) }) };
}

/** Every YAML document of every file, strictly parsed (duplicate keys refused; maxAliasCount 0: no aliases). */
export function objectsOf(files: Map<string, string>): Array<{ file: string; obj: Obj }> {
  const out: Array<{ file: string; obj: Obj }> = [];
  for (const [file, text] of files) {
    for (const doc of parseAllDocuments(text, { uniqueKeys: true })) {
      if (doc.errors.length) throw new Error(`${file}: ${doc.errors[0]!.message}`);
      out.push({ file, obj: doc.toJS({ maxAliasCount: 0 }) });
    }
  }
  return out;
}

const MODELS: Record<string, new (data: Obj) => { validate(): void }> = { Deployment, NetworkPolicy, Namespace, Secret, Service };

let checker: FieldChecker | undefined;

/** kubernetes-models' schema validation plus our unknown-field check; problems as lines (empty: valid). */
export function objectProblems(obj: Obj): string[] {
  const Model = MODELS[obj?.kind];
  if (!Model) return [`kind ${obj?.kind}: no model`];
  const problems: string[] = [];
  try {
    new Model(obj).validate();
  } catch (e) {
    problems.push(`${obj.kind} ${obj.metadata?.name}: ${(e as Error).message}`);
  }
  checker ??= unknownFieldChecker();
  problems.push(...checker(obj));
  return problems;
}

/** Label keys: optional DNS-subdomain prefix and "/", then a name of at most 63 characters. */
export function labelKeyValid(key: string): boolean {
  const slash = key.lastIndexOf("/");
  const [prefix, name] = slash < 0 ? [undefined, key] : [key.slice(0, slash), key.slice(slash + 1)];
  const nameOk = /^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,61}[A-Za-z0-9])?$/.test(name);
  const prefixOk =
    prefix === undefined || (prefix.length <= 253 && /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*$/.test(prefix));
  return nameOk && prefixOk;
}

export const labelValueValid = (v: unknown): boolean => typeof v === "string" && /^(?:[A-Za-z0-9](?:[A-Za-z0-9._-]{0,61}[A-Za-z0-9])?)?$/.test(v);
