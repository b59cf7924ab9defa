/**
 * Checks a config draft against the catalog: ids, types, config keys, secret variable names, and
 * the names the plan will derive from them. Pure; returns every problem found, with paths into
 * the config file, and only the customers and servers that can be planned.
 */
import type { Catalog } from "../catalog/catalog.js";
import type { ConfigDraft } from "../config/load-config.js";
import { shown } from "../config/safe-text.js";
import type { Customer, Server } from "../config/schema.js";
import { SLUG_MAX, slugify } from "../config/slug.js";
import type { Problem } from "../errors.js";
import { checkServer } from "./check-server.js";
import { checkNames, type NamedServer } from "./identity.js";

export interface ValidServer {
  index: number;
  server: Server;
}

export interface ValidCustomer {
  index: number;
  id: string;
  customer: Customer;
  servers: ValidServer[];
}

interface IdOwner {
  index: number;
  name: string;
  derived: boolean;
}

function clashMessage(id: string, customer: Customer, first: IdOwner): string {
  const how = (derived: boolean) => (derived ? "derived from name" : "given as id");
  const cut = !customer.id && slugify(customer.name, Infinity).length > SLUG_MAX ? ` (a name's id is cut to ${SLUG_MAX} characters)` : "";
  return `customer id ${shown(id)} (${how(!customer.id)})${cut} clashes with customers[${first.index}] ${shown(first.name)} (${how(first.derived)}); set an explicit, distinct "id"`;
}

export function validateConfig(draft: ConfigDraft, catalog: Catalog): { customers: ValidCustomer[]; problems: Problem[] } {
  const problems: Problem[] = [];
  const problem = (path: string, message: string) => problems.push({ file: draft.file, path: draft.pathInFile(path), message });
  const byId = new Map<string, IdOwner>();
  const customers: ValidCustomer[] = [];
  const named: Array<NamedServer & { server: ValidServer; customer: ValidCustomer }> = [];
  for (const { index, customer } of draft.customers) {
    const at = `customers[${index}]`;
    const idAt = customer.id ? `${at}.id` : `${at}.name`;
    const id = customer.id ?? slugify(customer.name);
    if (!id) {
      problem(`${at}.name`, `cannot derive an id from the name ${shown(customer.name)} (no letters or digits); set "id"`);
      continue;
    }
    const clash = byId.get(id);
    if (clash) {
      problem(idAt, clashMessage(id, customer, clash));
      continue;
    }
    byId.set(id, { index, name: customer.name, derived: !customer.id });
    const valid: ValidCustomer = { index, id, customer, servers: [] };
    const seen = new Map<string, number>();
    customer.mcp_servers.forEach((server, k) => {
      const sat = `${at}.mcp_servers[${k}]`;
      const first = seen.get(server.type);
      if (first !== undefined) {
        problem(`${sat}.type`, `type ${shown(server.type)} appears twice in this customer (first at mcp_servers[${first}])`);
        return;
      }
      seen.set(server.type, k);
      if (!checkServer(catalog, sat, server, problem, draft.defaults.bind_address)) return;
      const entry = { index: k, server };
      named.push({ at: sat, idAt, customerId: id, customerName: customer.name, type: server.type, server: entry, customer: valid });
    });
    customers.push(valid);
  }
  for (const s of draft.checkOnly)
    checkServer(catalog, `customers[${s.customerIndex}].mcp_servers[${s.index}]`, s.server, problem, draft.defaults.bind_address);
  // Disabled ones count too: enabling a customer later must not be what reveals a clash.
  const usable = checkNames(draft.project, named, problem);
  for (const n of named) if (usable.has(n)) n.customer.servers.push(n.server);
  return { customers, problems };
}
