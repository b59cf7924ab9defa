/** One server of a customer against its type's manifest: type, config keys, secret names, formats. */
import type { Catalog } from "../catalog/catalog.js";
import { checkFormat, CREDENTIALS_IN_URL } from "../config/formats.js";
import { shown } from "../config/safe-text.js";
import type { Server } from "../config/schema.js";
import { secretVarProblem } from "../config/secret-var.js";
import { jsonPath } from "../config/zod-problems.js";
import { checkServerUrl } from "./server-url.js";

export type Report = (path: string, message: string) => void;

/** `${at}.config.<key>`, with odd or secret-looking keys written safely. */
const keyPath = (at: string, key: string) => `${at}.${jsonPath(["config", key])}`;

/** A URL with user:password@, in any value: credentials never go into a plain config value. */
const CREDENTIAL_URL = /^[a-z][a-z0-9+.-]*:\/\/[^/?#\s]*@/i;

/** False when the server cannot be planned; every problem found is reported. */
export function checkServer(catalog: Catalog, at: string, server: Server, problem: Report, bindAddress: string): boolean {
  const type = catalog.types.get(server.type);
  if (!type) {
    // A type whose manifest is broken is reported with the manifest's own problems, not as unknown.
    if (catalog.broken.has(server.type)) return false;
    const known = [...catalog.types.keys()].join(", ") || "none";
    problem(`${at}.type`, `unknown MCP type ${shown(server.type)}; known types: ${known}`);
    return false;
  }
  const spec = type.manifest.config;
  let ok = true;
  const fail = (key: string, message: string) => {
    problem(keyPath(at, key), message);
    ok = false;
  };
  // Own properties only: "constructor" or "toString" must not find Object.prototype's members.
  for (const [key, keySpec] of Object.entries(spec)) {
    if (keySpec.required && !Object.hasOwn(server.config, key)) {
      fail(key, `is required by type ${server.type}${keySpec.description ? ` (${keySpec.description})` : ""}`);
    }
  }
  for (const [key, value] of Object.entries(server.config)) {
    const keySpec = Object.hasOwn(spec, key) ? spec[key] : undefined;
    if (!keySpec) {
      fail(key, `unknown key for type ${server.type}; known keys: ${Object.keys(spec).join(", ") || "none"}`);
      continue;
    }
    if (keySpec.secret) {
      const why = secretVarProblem(value);
      if (why) fail(key, why);
      continue;
    }
    if (typeof value === "string" && CREDENTIAL_URL.test(value)) {
      fail(key, CREDENTIALS_IN_URL);
      continue;
    }
    const why = keySpec.format ? checkFormat(keySpec.format, value) : undefined;
    if (why) fail(key, why);
  }
  // Checked here as well as where it pins the port, so a bad url shows beside the config's other problems.
  const url = server.url === undefined ? undefined : checkServerUrl(server.url, type.manifest.path, bindAddress);
  if (url?.error) {
    problem(`${at}.url`, url.error);
    ok = false;
  }
  return ok;
}
