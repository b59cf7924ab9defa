/**
 * Pure: one client entry per customer pointing at its gateway endpoint (`mcps clients export --via
 * gateway`): named by the customer id, at <gateway-url>/mcp/<id>, with the name of the variable that
 * holds the customer's gateway token (gateway.token_env), never its value.
 */
import { shown } from "../config/safe-text.js";
import { UsageError } from "../errors.js";
import type { ServicePlan } from "../plan/types.js";

export interface GatewayEntry {
  name: string;
  url: string;
  /** The variable holding the bearer token, when the customer's endpoint has one. */
  tokenEnv?: string;
}

/** serve's default --listen. */
export const DEFAULT_GATEWAY_URL = "http://127.0.0.1:7070";

/** No `$`, `{`, `}`: clients would read them as variable references in a URL. */
const SAFE_PATH = /^[A-Za-z0-9\-._~/%]*$/;

/** --gateway-url: where clients reach `mcps serve`, without a trailing slash. */
export function gatewayBase(typed: string | undefined): string {
  const text = typed ?? DEFAULT_GATEWAY_URL;
  const refuse = (why: string): never => {
    throw new UsageError(`--gateway-url ${shown(text)}: ${why}`);
  };
  let u: URL | undefined;
  try {
    u = new URL(text);
  } catch {
    refuse("expected a URL like http://127.0.0.1:7070");
  }
  const url = u as URL;
  if (url.protocol !== "http:" && url.protocol !== "https:") refuse("must be http:// or https://");
  if (url.username || url.password || url.search || url.hash) refuse("must not carry credentials, a query or a fragment");
  if (!SAFE_PATH.test(url.pathname)) refuse("its path has characters a client would read as a variable");
  return `${url.origin}${url.pathname.replace(/\/+$/, "")}`;
}

export function gatewayEntries(services: readonly ServicePlan[], base: string): GatewayEntry[] {
  const byCustomer = new Map<string, ServicePlan>();
  for (const s of services) if (!byCustomer.has(s.customerId)) byCustomer.set(s.customerId, s);
  return [...byCustomer.values()]
    .sort((a, b) => (a.customerId < b.customerId ? -1 : a.customerId > b.customerId ? 1 : 0))
    .map((s) => ({
      name: s.customerId,
      url: `${base}/mcp/${encodeURIComponent(s.customerId)}`,
      ...(s.gatewayTokenEnv !== undefined && { tokenEnv: s.gatewayTokenEnv }),
    }));
}
