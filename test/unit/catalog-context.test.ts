/**
 * build.context: "." builds in the type's folder, ".." in the catalog folder (for the shared
 * `_`-prefixed folders, like mcps/_bridge); `_` folders are never types. The refusals are in
 * catalog-manifest.test.ts, through the CLI.
 */
import assert from "node:assert/strict";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { parse } from "yaml";
import { readCatalog } from "../../src/catalog/catalog.js";
import { runCli } from "../support/cli.js";
import { fixtureCustomer, workspace } from "../support/workspace.js";

/** A fixture workspace whose alpha type builds with the given context, and a shared _lib folder. */
function withContext(context: string | undefined, body: (dir: string, catalogDir: string) => Promise<void>) {
  const dir = workspace({ customers: [fixtureCustomer("Acme")] });
  const catalogDir = path.join(dir, "mcps");
  const manifest = path.join(catalogDir, "alpha/mcp.yaml");
  if (context !== undefined) writeFileSync(manifest, readFileSync(manifest, "utf8").replace("build:\n", `build:\n  context: ${context}\n`));
  mkdirSync(path.join(catalogDir, "_lib"));
  writeFileSync(path.join(catalogDir, "_lib/shared.mjs"), "export const v = 1;\n");
  return body(dir, catalogDir).finally(() => rmSync(dir, { recursive: true, force: true }));
}

async function alpha(catalogDir: string) {
  const { catalog, problems } = await readCatalog(catalogDir);
  assert.deepEqual(problems, []);
  return catalog.types.get("alpha")!;
}

test('build.context ".": the type\'s folder, as without it, and the same digest', () =>
  withContext(".", async (_dir, catalogDir) => {
    const type = await alpha(catalogDir);
    assert.deepEqual(type.build, { contextDir: path.join(catalogDir, "alpha"), dockerfile: "Dockerfile" });
    const before = type.contextDigest;
    writeFileSync(path.join(catalogDir, "_lib/shared.mjs"), "export const v = 2;\n");
    assert.equal((await alpha(catalogDir)).contextDigest, before, "a _ folder is no input of a type-folder build");
  }));

test("no build.context: the type's folder", () =>
  withContext(undefined, async (_dir, catalogDir) => {
    assert.deepEqual((await alpha(catalogDir)).build, { contextDir: path.join(catalogDir, "alpha"), dockerfile: "Dockerfile" });
  }));

test('build.context "..": the catalog folder, the Dockerfile named from there; the digest covers the type and the _ folders', () =>
  withContext("..", async (_dir, catalogDir) => {
    const type = await alpha(catalogDir);
    assert.deepEqual(type.build, { contextDir: catalogDir, dockerfile: "alpha/Dockerfile" });
    const first = type.contextDigest;
    writeFileSync(path.join(catalogDir, "beta/notes.txt"), "another type's file\n");
    mkdirSync(path.join(catalogDir, "_lib/node_modules"));
    writeFileSync(path.join(catalogDir, "_lib/node_modules/x.js"), "installed, not an input\n");
    assert.equal((await alpha(catalogDir)).contextDigest, first, "other types' files and node_modules are no inputs");
    writeFileSync(path.join(catalogDir, "_lib/shared.mjs"), "export const v = 2;\n");
    const second = (await alpha(catalogDir)).contextDigest;
    assert.notEqual(second, first, "a shared file is an input");
    writeFileSync(path.join(catalogDir, "alpha/extra.txt"), "x\n");
    assert.notEqual((await alpha(catalogDir)).contextDigest, second, "the type's own files are inputs");
  }));

test('build.context "..": compose builds in the catalog folder with the Dockerfile relative to it', () =>
  withContext("..", async (dir) => {
    const r = await runCli(["generate"], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    const doc = parse(readFileSync(path.join(dir, "docker-compose.mcps.yml"), "utf8"), { maxAliasCount: -1 });
    assert.equal(doc.services["mcp-alpha-acme"].build.context, "mcps");
    assert.equal(doc.services["mcp-alpha-acme"].build.dockerfile, "alpha/Dockerfile");
  }));

test("a _-prefixed folder is not a type, even with a manifest, broken or not", () =>
  withContext(undefined, async (dir, catalogDir) => {
    writeFileSync(path.join(catalogDir, "_lib/mcp.yaml"), "description: [not, a, manifest\n");
    const { catalog, problems } = await readCatalog(catalogDir);
    assert.deepEqual(problems, []);
    assert.deepEqual([...catalog.types.keys()], ["alpha", "beta"]);
    assert.equal(catalog.broken.size, 0);
    const r = await runCli(["generate"], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
  }));
