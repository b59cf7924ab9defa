/**
 * Who may use /mcp/<customer>:
 * - the customer's own token (`gateway.token_env`), the caller then is `token:<VAR>`;
 * - serve's `--token-env` token on every customer's endpoint (the agent's backend serves them all): `admin`;
 * - nobody else where a token is needed: the customer has one, serve has one, or serve listens beyond
 *   loopback. Otherwise a loopback client needs none: `loopback`.
 * Another customer's token is just a wrong token. Compared in constant time (security.ts).
 */
import { tokenMatches } from "../serve/security.js";

export interface GatewayTokens {
  /** serve's --token-env value, when given. */
  admin?: string;
  /** The customer's gateway.token_env, when set, and its value (undefined when the variable is unset). */
  customerVar?: string;
  customerValue?: string;
  /** serve listens on a non-loopback address. */
  exposed: boolean;
}

/** The caller's name for the audit log, or undefined: refused (401). */
export function gatewayCaller(authorization: string | undefined, t: GatewayTokens): string | undefined {
  const given = authorization?.startsWith("Bearer ") ? authorization.slice(7) : "";
  // Both are compared whatever the first gives, so the time does not tell which token was near.
  const admin = given !== "" && t.admin !== undefined && tokenMatches(given, t.admin);
  const own = given !== "" && t.customerValue !== undefined && t.customerValue !== "" && tokenMatches(given, t.customerValue);
  if (own) return `token:${t.customerVar}`;
  if (admin) return "admin";
  const needed = t.exposed || t.admin !== undefined || t.customerVar !== undefined;
  return needed ? undefined : "loopback";
}
