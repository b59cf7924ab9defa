/** The generated YAML, byte for byte. Update on purpose only: UPDATE_GOLDEN=1 npm run test:unit */
import assert from "node:assert/strict";
import { copyFileSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { ROOT, runCli } from "../support/cli.js";
import { workspace } from "../support/workspace.js";

const GOLDEN = path.join(ROOT, "test/golden/fixture.compose.yml");

test("generated compose file matches the golden file", async () => {
  const dir = workspace(readFileSync(path.join(ROOT, "test/fixtures/golden-config.json"), "utf8"));
  try {
    const r = await runCli(["generate"], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    const actual = readFileSync(path.join(dir, "docker-compose.mcps.yml"), "utf8");
    if (process.env.UPDATE_GOLDEN === "1") copyFileSync(path.join(dir, "docker-compose.mcps.yml"), GOLDEN);
    assert.equal(actual, readFileSync(GOLDEN, "utf8"), "run UPDATE_GOLDEN=1 npm run test:unit if the change is intended");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

for (const kind of ["config", "manifest"] as const) {
  const file = path.join(ROOT, `schema/${kind === "config" ? "mcp_servers" : "mcp-type"}.schema.json`);
  test(`schema/${path.basename(file)} is what \`mcps schema --for ${kind}\` prints`, async () => {
    const r = await runCli(["schema", "--for", kind]);
    assert.equal(r.code, 0, r.stderr);
    const schema = JSON.parse(r.stdout);
    assert.equal(schema.type, "object");
    assert.ok(schema.properties && Object.keys(schema.properties).length > 3);
    if (process.env.UPDATE_GOLDEN === "1") writeFileSync(file, r.stdout);
    assert.equal(r.stdout, readFileSync(file, "utf8"), "run UPDATE_GOLDEN=1 npm run test:unit if the change is intended");
  });
}
