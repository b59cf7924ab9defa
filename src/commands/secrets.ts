/**
 * `mcps secrets template`: the kubectl lines that create each customer's Secret for the Kubernetes
 * output. Only names are printed: the values stay in the shell, as "${VAR:?}" references that
 * the shell fills in when the line runs (and that stop the line when the variable is unset or empty).
 */
import { customersOf, namespaceOf, secretNameOf, secretVarsOf } from "../kubernetes/names.js";
import { narrowPlan, selectServices } from "../plan/select.js";
import { loadPlan } from "../load/load-plan.js";

export interface SecretsTemplateOptions {
  config: string;
  catalog: string;
  /** Customer ids or names; empty: every customer. */
  customers: string[];
}

export interface CustomerSecret {
  customer: string;
  namespace: string;
  secret: string;
  /** The Secret's keys: the variable names the config gives; empty when the customer needs none. */
  variables: string[];
  /** The kubectl line that creates (or updates) the Secret; absent when there is nothing to create. */
  command?: string;
  /** The line that makes sure the namespace exists first (`kubectl apply -k` may not have run yet). */
  namespaceCommand?: string;
}

export interface SecretsTemplateResult {
  secrets: CustomerSecret[];
  warnings: string[];
}

/**
 * Names are safe in a shell word as they are: namespaces and Secret names are DNS labels, variable
 * names match [A-Za-z_][A-Za-z0-9_]* (the config refuses anything else).
 */
export function kubectlCreateSecret(namespace: string, secret: string, variables: string[]): string {
  const literals = variables.map((v) => `--from-literal=${v}="\${${v}:?}"`);
  return [...["kubectl", "create", "secret", "generic", secret, "--namespace", namespace, ...literals], ...APPLY].join(" ");
}

/**
 * Rendered by the client and applied: the script runs before or after `kubectl apply -k` (which
 * labels the namespace), and again to rotate a value, without "already exists".
 */
const APPLY = ["--dry-run=client", "-o", "yaml", "|", "kubectl", "apply", "-f", "-"];

export function kubectlEnsureNamespace(namespace: string): string {
  return ["kubectl", "create", "namespace", namespace, ...APPLY].join(" ");
}

export async function secretsTemplate(opts: SecretsTemplateOptions): Promise<SecretsTemplateResult> {
  const { plan, warnings } = await loadPlan({ config: opts.config, catalog: opts.catalog });
  const selected = opts.customers.length ? narrowPlan(plan, selectServices(plan, { customers: opts.customers })) : plan;
  const secrets = customersOf(selected).map(({ id, services }): CustomerSecret => {
    const first = services[0]!;
    const variables = secretVarsOf(services);
    const [namespace, secret] = [namespaceOf(first), secretNameOf(first)];
    return {
      customer: id,
      namespace,
      secret,
      variables,
      ...(variables.length && { namespaceCommand: kubectlEnsureNamespace(namespace), command: kubectlCreateSecret(namespace, secret, variables) }),
    };
  });
  return { secrets, warnings };
}
