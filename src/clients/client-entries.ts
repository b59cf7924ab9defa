/**
 * Pure: the plan's services as a client sees them: one named server at a connectable URL each.
 * Only the name, URL and transport leave here, so nothing else a service carries (variables,
 * their values or the names of the host variables holding secrets) can reach an export.
 */
import { ID } from "../config/schema.js";
import { shown } from "../config/safe-text.js";
import { UsageError } from "../errors.js";
import type { ServicePlan, Transport } from "../plan/types.js";

export interface ClientEntry {
  /** `<customer-id>-<type>`: lower-case letters, digits and dashes, valid as a server name in every client. */
  name: string;
  url: string;
  transport: Transport;
  /** `host:port` of the URL, port always written (LibreChat's allowedAddresses needs it). */
  address: string;
  /** True when the plan bound the service to 0.0.0.0 and the URL was rewritten to 127.0.0.1. */
  rewritten: boolean;
}

/**
 * Path characters passed through as they are. No `$`, `{` or `}`: VS Code (`${input:..}`), Cursor
 * (`${env:..}`) and LibreChat (`${VAR}`, `{{..}}`) replace those in a URL, which could put the
 * value of a variable into a request. The manifest schema already refuses them; this holds it here.
 */
const SAFE_PATH = /^\/[A-Za-z0-9\-._~/%]*$/;
const IPV4 = /^\d{1,3}(?:\.\d{1,3}){3}$/;

function connectableUrl(s: ServicePlan): { url: string; address: string; rewritten: boolean } {
  const refuse = (why: string): never => {
    throw new UsageError(`the URL of service ${shown(s.name)} cannot be exported to a client: ${why}`);
  };
  let u: URL | undefined;
  try {
    u = new URL(s.url);
  } catch {
    refuse("it is not a URL");
  }
  const url = u as URL;
  if (url.protocol !== "http:") refuse("it is not http://");
  if (url.username || url.password || url.search || url.hash) refuse("it carries credentials, a query or a fragment");
  if (!IPV4.test(url.hostname) && url.hostname !== "localhost") refuse("its host is not an IPv4 address");
  if (!SAFE_PATH.test(url.pathname)) refuse("its path has characters a client would read as a variable");
  // 0.0.0.0 (an exposed bind: every interface) is where a server listens, not an address a client
  // can connect to; on the machine itself 127.0.0.1 reaches the same published port.
  const rewritten = url.hostname === "0.0.0.0";
  const host = rewritten ? "127.0.0.1" : url.hostname;
  const port = url.port || "80";
  return { url: `http://${host}:${port}${url.pathname}`, address: `${host}:${port}`, rewritten };
}

/** Server name of a service: the customer id, then the type. */
export const clientName = (s: Pick<ServicePlan, "customerId" | "type">): string => `${s.customerId}-${s.type}`;

/** Sorted by customer id, then type, so the same plan always gives the same file. */
export function clientEntries(services: readonly ServicePlan[]): ClientEntry[] {
  const sorted = [...services].sort((a, b) => cmp(a.customerId, b.customerId) || cmp(a.type, b.type));
  const byName = new Map<string, ServicePlan>();
  return sorted.map((s) => {
    // Ids and types are validated DNS labels; a name made of anything else is not exported.
    if (!ID.test(s.customerId) || !ID.test(s.type)) {
      throw new UsageError(`service ${shown(s.name)}: customer id and type must be lower-case letters, digits and dashes to name a client server`);
    }
    const name = clientName(s);
    const first = byName.get(name);
    if (first) {
      // "a-b" + "c" and "a" + "b-c" meet; the service names (mcp-c-a-b, mcp-b-c-a) do not.
      const who = (x: ServicePlan) => `type ${x.type} of customer ${shown(x.customerId)}`;
      throw new UsageError(
        `client server name ${shown(name)} is shared by ${who(first)} and ${who(s)}; set a distinct "id" for one of the customers`,
      );
    }
    byName.set(name, s);
    return { name, transport: s.transport, ...connectableUrl(s) };
  });
}

/** Code-unit order: the same in every locale. */
function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
