/**
 * The names a plan gives things must be unique and must be DNS labels: compose uses service names
 * as host names on the network, and a name over 63 characters, or one shared by two services
 * (type "grafana" for "loki-acme" and type "grafana-loki" for "acme"), silently breaks a service.
 */
import { shown } from "../config/safe-text.js";
import type { Report } from "./check-server.js";
import { containerName, DEFAULT_PROJECT, networkName, serviceName } from "./names.js";

/** A DNS label: RFC 1123, what compose and Docker's embedded DNS accept as a host name. */
export const MAX_LABEL = 63;

export interface NamedServer {
  /** Path of the server in the config, e.g. customers[0].mcp_servers[1]. */
  at: string;
  /** Path to point at when the id must change: the id, or the name it was derived from. */
  idAt: string;
  customerId: string;
  customerName: string;
  type: string;
}

/**
 * Reports names that are too long (one problem per customer, suggesting an id that fits) and
 * service names shared by two servers. Returns the servers whose names are usable.
 */
export function checkNames(project: string, servers: NamedServer[], problem: Report): Set<NamedServer> {
  const ok = new Set<NamedServer>();
  const tooLong = new Set<string>();
  const byName = new Map<string, NamedServer>();
  for (const s of servers) {
    const service = serviceName(s.type, s.customerId);
    const names = [service, containerName(project, service), networkName(project, s.customerId)];
    const longest = names.reduce((a, b) => (b.length > a.length ? b : a));
    if (longest.length > MAX_LABEL) {
      if (!tooLong.has(s.idAt)) {
        tooLong.add(s.idAt);
        const room = MAX_LABEL - (longest.length - s.customerId.length);
        const fix =
          room >= 1
            ? `set an explicit shorter "id" (at most ${room} characters${project === DEFAULT_PROJECT ? "" : ', or a shorter "project"'})`
            : 'set a shorter "project"';
        problem(
          s.idAt,
          `the generated name ${shown(longest)} is ${longest.length} characters, more than the ${MAX_LABEL} a DNS label allows; ${fix}`,
        );
      }
      continue;
    }
    const first = byName.get(service);
    if (first) {
      const who = (n: NamedServer) => `type ${n.type} for customer ${shown(n.customerName)} (id ${shown(n.customerId)}, ${n.at})`;
      problem(s.idAt, `service name ${shown(service)} of ${who(s)} is also the name of ${who(first)}; set a distinct "id" for one of the customers`);
      continue;
    }
    byName.set(service, s);
    ok.add(s);
  }
  return ok;
}
