/** readCatalog reports a broken manifest as problems and keeps every other type usable. */
import assert from "node:assert/strict";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { loadCatalog, readCatalog } from "../../src/catalog/catalog.js";
import { ConfigError } from "../../src/errors.js";
import { workspace } from "../support/workspace.js";

function withBrokenAlpha(body: (catalogDir: string) => Promise<void>) {
  const dir = workspace({ customers: [] });
  const manifest = path.join(dir, "mcps/alpha/mcp.yaml");
  writeFileSync(manifest, readFileSync(manifest, "utf8").replace("port: 8000", "port: eighty"));
  return body(path.join(dir, "mcps")).finally(() => rmSync(dir, { recursive: true, force: true }));
}

test("readCatalog: a broken manifest is a problem and a broken type, not an exception", () =>
  withBrokenAlpha(async (catalogDir) => {
    const { catalog, problems } = await readCatalog(catalogDir);
    assert.deepEqual(problems, [{ file: path.join(catalogDir, "alpha/mcp.yaml"), path: "port", message: "must be a number, not string" }]);
    assert.deepEqual([...catalog.broken], ["alpha"]);
    assert.deepEqual([...catalog.types.keys()], ["beta"], "the healthy type is still there");
  }));

test("loadCatalog: the same problems, thrown together as one ConfigError", () =>
  withBrokenAlpha(async (catalogDir) => {
    await assert.rejects(
      loadCatalog(catalogDir),
      (e: unknown) => e instanceof ConfigError && e.problems.length === 1 && e.problems[0]!.path === "port",
    );
  }));

test("readCatalog: a healthy catalog has no problems and nothing broken", async () => {
  const dir = workspace({ customers: [] });
  try {
    const { catalog, problems } = await readCatalog(path.join(dir, "mcps"));
    assert.deepEqual(problems, []);
    assert.equal(catalog.broken.size, 0);
    assert.deepEqual([...catalog.types.keys()], ["alpha", "beta"]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
