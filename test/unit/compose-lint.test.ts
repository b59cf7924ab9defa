/**
 * A public Compose linter (dclint) finds no errors in what we generate: the committed files and a
 * fresh render of the fixture catalog. Warnings (key order, quote style) are style, not defects.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { ROOT, runCli } from "../support/cli.js";
import { dclint, type LintMessage } from "../support/dclint.js";
import { requireTool, toolRuns } from "../support/host-tool.js";
import { fixtureCustomer, workspace } from "../support/workspace.js";

const errors = (messages: LintMessage[]) => messages.filter((m) => m.type === "error").map((m) => `${m.line}: ${m.rule}: ${m.message}`);

for (const file of ["docker-compose.mcps.yml", "docker-compose.dev.yml"]) {
  test(`dclint: no errors in the committed ${file}`, () => {
    const messages = dclint(path.join(ROOT, file));
    assert.deepEqual(errors(messages), []);
  });
}

test("dclint: no errors in a fresh render of the fixture catalog, built and prebuilt types", async () => {
  const dir = workspace({ customers: [fixtureCustomer("Acme"), fixtureCustomer("Bolt Ltd", { type: "enterprise" })] });
  try {
    const r = await runCli(["generate"], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    const messages = dclint(path.join(dir, "docker-compose.mcps.yml"));
    assert.deepEqual(errors(messages), []);
    // The rule this file once broke: build + image without pull_policy. It must still be checked.
    assert.ok(!messages.some((m) => m.rule === "no-build-and-image"));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("dclint still reports the error we fixed when pull_policy is missing (the check can fail)", async () => {
  const dir = workspace({ customers: [fixtureCustomer("Acme")] });
  try {
    assert.equal((await runCli(["generate"], { cwd: dir })).code, 0);
    const file = path.join(dir, "docker-compose.mcps.yml");
    const text = readFileSync(file, "utf8").replace(/^ {4}pull_policy: .*\n/m, "");
    writeFileSync(file, text);
    assert.ok(errors(dclint(file)).some((e) => e.includes("no-build-and-image")));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// Debian's docker-compose 1.29 (compose v1) must accept the file too; it needs no engine for `config`.
const V1 = toolRuns("docker-compose", ["version", "--short"]);
test("docker-compose v1 `config -q` accepts the committed files", (t) => {
  if (!requireTool(t, V1, "docker-compose", "apt-get install -y docker-compose")) return;
  for (const file of ["docker-compose.mcps.yml", "docker-compose.dev.yml"]) {
    const r = spawnSync("docker-compose", ["-f", file, "config", "-q"], { cwd: ROOT, encoding: "utf8" });
    assert.equal(r.status, 0, `${file}: ${r.stderr}`);
  }
});
