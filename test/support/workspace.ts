/** A temporary folder with a config and a catalog, removed by the caller. */
import { cpSync, rmSync, mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { ROOT } from "./cli.js";

export const FIXTURE_CATALOG = path.join(ROOT, "test/fixtures/catalog");
export const REAL_CATALOG = path.join(ROOT, "mcps");

export function workspace(config: unknown, catalog = FIXTURE_CATALOG): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "mcps-test-"));
  cpSync(catalog, path.join(dir, "mcps"), { recursive: true });
  writeFileSync(path.join(dir, "mcp_servers.json"), typeof config === "string" ? config : JSON.stringify(config, null, 2));
  return dir;
}

/** A customer using both fixture types. */
export function fixtureCustomer(name: string, extra: Record<string, unknown> = {}) {
  const token = name.toUpperCase().replace(/[^A-Z0-9]+/g, "_");
  return {
    name,
    mcp_servers: [
      { type: "alpha", config: { api_url: `https://${name.toLowerCase().replace(/\W+/g, "")}.example.com`, token_env: `ALPHA_TOKEN_${token}` } },
      { type: "beta", config: { region: "eu-1" } },
    ],
    ...extra,
  };
}

/** A test body run in a fresh workspace that is removed afterwards, whatever happens: `test(name, inWorkspace(config, async (dir) => …))`. */
export function inWorkspace(config: unknown, body: (dir: string) => void | Promise<void>, prepare?: (dir: string) => void) {
  return async () => {
    const dir = workspace(config);
    try {
      prepare?.(dir);
      await body(dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
}
