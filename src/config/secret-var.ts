/**
 * The rule for a *_env value, which names the variable holding a secret. One rule for
 * mcp_servers.json and the older grafana_servers.json, so migrate and generate agree.
 * The value itself never appears in a message: it is often the pasted secret.
 */
import { looksSecret } from "./safe-text.js";

/** Upper case on purpose: a value like "glsa_x9" is far more likely a pasted token than a variable name. */
export const SECRET_VAR = /^[A-Z_][A-Z0-9_]*$/;

export function secretVarProblem(value: unknown): string | undefined {
  if (typeof value !== "string") return `must be a string naming the variable that holds the secret, not a ${typeof value}`;
  if (looksSecret(value))
    return "holds what looks like a pasted secret, not a variable name: put the secret in a variable (e.g. in mcp_credentials.env) and name that variable here";
  if (!SECRET_VAR.test(value)) return "must name the variable that holds the secret, in UPPER_CASE letters, digits and _ (e.g. GRAFANA_TOKEN_ACME)";
  if (value.length > 128) return "is too long for a variable name (at most 128 characters)";
  return undefined;
}
