/**
 * The gateway's config fields through the real CLI: bad globs, unknown keys and bad variable names are
 * each one `file: path: message` line (all at once, exit 2); good ones reach the plan, outside the hash.
 */
import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { globMatcher } from "../../src/config/tool-glob.js";
import { policyFilter } from "../../src/gateway/tool-policy.js";
import { runCli } from "../support/cli.js";
import { fixtureCustomer, workspace } from "../support/workspace.js";

test("bad gateway fields are refused, every one at once, with their paths", async () => {
  const acme = fixtureCustomer("Acme", { gateway: { token_env: "1BAD", extra: true } });
  (acme.mcp_servers[0] as Record<string, unknown>).tools = { allow: ["search(", ""], deny: ["ok*"], only: ["x"] };
  (acme.mcp_servers[1] as Record<string, unknown>).tools = { deny: ["\u0430pple"] };
  const dir = workspace({ defaults: { tools: { allow: "search" } }, customers: [acme] });
  try {
    const r = await runCli(["generate", "--config", path.join(dir, "mcp_servers.json"), "--catalog", path.join(dir, "mcps"), "--out", "-"]);
    assert.equal(r.code, 2, r.stderr);
    for (const at of [
      "defaults.tools.allow",
      "customers[0].gateway.token_env",
      "customers[0].gateway.extra",
      "customers[0].mcp_servers[0].tools.allow[0]",
      "customers[0].mcp_servers[0].tools.allow[1]",
      "customers[0].mcp_servers[0].tools.only",
      "customers[0].mcp_servers[1].tools.deny[0]",
    ]) {
      assert.ok(r.stderr.includes(`mcp_servers.json: ${at}:`), `${at} in:\n${r.stderr}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a policy changes no config hash: the generated file is the same with and without it", async () => {
  const plain = workspace({ customers: [fixtureCustomer("Acme")] });
  const acme = fixtureCustomer("Acme", { gateway: { token_env: "ACME_GW" } });
  (acme.mcp_servers[0] as Record<string, unknown>).tools = { deny: ["delete_*"] };
  const governed = workspace({ defaults: { tools: { allow: ["get*"] } }, customers: [acme] });
  try {
    const gen = (dir: string) =>
      runCli(["generate", "--config", path.join(dir, "mcp_servers.json"), "--catalog", path.join(dir, "mcps"), "--out", "-"]);
    const a = await gen(plain);
    const b = await gen(governed);
    assert.equal(a.code, 0, a.stderr);
    assert.equal(b.code, 0, b.stderr);
    // The first line names the (temporary) config file; the rest, hash labels included, must agree.
    const body = (text: string) => text.slice(text.indexOf("\n"));
    assert.match(a.stdout, /mcps\.config-hash/);
    // Build contexts name the temporary folders too; the hashes cover the context by content.
    const diff = body(b.stdout)
      .split("\n")
      .filter((l, i) => l !== body(a.stdout).split("\n")[i] && !l.includes("mcps-test-"));
    assert.deepEqual(diff, []);
  } finally {
    rmSync(plain, { recursive: true, force: true });
    rmSync(governed, { recursive: true, force: true });
  }
});

test("globs: * and ? only, dots and slashes literal; deny wins over allow; no allow list allows all", async () => {
  const m = globMatcher(["get_*", "a.b?"]);
  assert.deepEqual(["get_x", "get_", "getx", "a.bc", "aXbc", "a.bcd"].map(m), [true, true, false, true, false, false]);
  const p = policyFilter({ allow: ["search*", "delete_*"], deny: ["delete_*"] });
  assert.deepEqual(["search", "search_all", "delete_all", "get"].map(p), [true, true, false, false]);
  assert.deepEqual(["x", "delete_all"].map(policyFilter({ deny: ["delete_*"] })), [true, false]);
  assert.equal(policyFilter(undefined)("anything"), true);
});
