/**
 * Checks a config draft against the catalog: ids, types, config keys, secret variable names.
 * Pure; returns every problem found, with paths into the config file.
 */
import type { Catalog } from "../catalog/catalog.js";
import type { ConfigDraft } from "../config/load-config.js";
import type { Customer, Server } from "../config/schema.js";
import { slugify } from "../config/slug.js";
import type { Problem } from "../errors.js";

/** Upper case on purpose: a value like "glsa_x9" is far more likely a pasted token than a variable name. */
export const SECRET_VAR = /^[A-Z_][A-Z0-9_]*$/;

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

function checkServer(catalog: Catalog, at: string, server: Server, problem: (path: string, message: string) => void): boolean {
  const type = catalog.types.get(server.type);
  if (!type) {
    problem(`${at}.type`, `unknown MCP type ${JSON.stringify(server.type)}; known types: ${[...catalog.types.keys()].join(", ")}`);
    return false;
  }
  const spec = type.manifest.config;
  let ok = true;
  for (const [key, keySpec] of Object.entries(spec)) {
    if (keySpec.required && server.config[key] === undefined) {
      problem(`${at}.config.${key}`, `is required by type ${server.type}${keySpec.description ? ` (${keySpec.description})` : ""}`);
      ok = false;
    }
  }
  for (const [key, value] of Object.entries(server.config)) {
    const keySpec = spec[key];
    if (!keySpec) {
      const known = Object.keys(spec).join(", ") || "none";
      problem(`${at}.config.${key}`, `unknown key for type ${server.type}; known keys: ${known}`);
      ok = false;
    } else if (keySpec.secret && (typeof value !== "string" || !SECRET_VAR.test(value))) {
      problem(`${at}.config.${key}`, `${JSON.stringify(value)} is not a valid variable name (UPPER_CASE letters, digits, _): it must name the variable that holds the secret, not hold it`);
      ok = false;
    }
  }
  return ok;
}

export function validateConfig(draft: ConfigDraft, catalog: Catalog): { customers: ValidCustomer[]; problems: Problem[] } {
  const problems: Problem[] = [];
  const problem = (path: string, message: string) => problems.push({ file: draft.file, path: draft.pathInFile(path), message });
  const byId = new Map<string, { index: number; name: string; derived: boolean }>();
  const customers: ValidCustomer[] = [];
  for (const { index, customer } of draft.customers) {
    const at = `customers[${index}]`;
    const id = customer.id ?? slugify(customer.name);
    if (!id) {
      problem(`${at}.name`, `cannot derive an id from ${JSON.stringify(customer.name)}; set "id"`);
      continue;
    }
    const clash = byId.get(id);
    if (clash) {
      const how = (derived: boolean) => (derived ? "derived from name" : "given as id");
      problem(
        customer.id ? `${at}.id` : `${at}.name`,
        `customer id "${id}" (${how(!customer.id)}) clashes with customers[${clash.index}] ${JSON.stringify(clash.name)} (${how(clash.derived)}); set a distinct "id"`,
      );
      continue;
    }
    byId.set(id, { index, name: customer.name, derived: !customer.id });
    const seen = new Map<string, number>();
    const servers: ValidServer[] = [];
    customer.mcp_servers.forEach((server, k) => {
      const sat = `${at}.mcp_servers[${k}]`;
      const first = seen.get(server.type);
      if (first !== undefined) {
        problem(`${sat}.type`, `type "${server.type}" appears twice in this customer (first at mcp_servers[${first}])`);
        return;
      }
      seen.set(server.type, k);
      if (checkServer(catalog, sat, server, problem)) servers.push({ index: k, server });
    });
    customers.push({ index, id, customer, servers });
  }
  return { customers, problems };
}
