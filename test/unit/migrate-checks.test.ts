/** migrate refuses what generate refuses, in the legacy file's own paths, and writes nothing then. */
import assert from "node:assert/strict";
import { rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { runCli } from "../support/cli.js";
import { REAL_CATALOG, workspace } from "../support/workspace.js";
import { snapshot } from "../support/output-sandbox.js";

const good = { name: "Acme", grafana_url: "https://acme.example.com", token_env: "GRAFANA_TOKEN_ACME" };
const PASTED = "glsa_pastedCanaryToken0123456789abcdef";

async function migrateIn(servers: unknown[], args: string[] = []) {
  const dir = workspace({ customers: [] }, REAL_CATALOG);
  try {
    rmSync(path.join(dir, "mcp_servers.json"));
    writeFileSync(path.join(dir, "grafana_servers.json"), JSON.stringify({ servers }));
    const before = snapshot(dir);
    const r = await runCli(["migrate", ...args], { cwd: dir });
    return { ...r, unchanged: JSON.stringify(snapshot(dir)) === JSON.stringify(before) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function assertOneProblem(r: Awaited<ReturnType<typeof migrateIn>>, line: RegExp) {
  assert.equal(r.code, 2, r.stderr);
  assert.equal(r.stderr.trimEnd().split("\n").length, 1, r.stderr);
  assert.match(r.stderr, line);
  assert.doesNotMatch(r.stderr, /^\s+at |unexpected error/m);
  assert.ok(r.unchanged, "nothing written");
}

test("a lowercase pasted token in token_env is refused like generate does, at servers[i].token_env", async () => {
  const r = await migrateIn([good, { ...good, name: "Globex", token_env: PASTED }]);
  assertOneProblem(r, /^grafana_servers\.json: servers\[1\]\.token_env: /);
});

test("the pasted token is never printed", async () => {
  const r = await migrateIn([{ ...good, token_env: PASTED }]);
  assert.equal(r.code, 2);
  assert.ok(!r.stderr.includes(PASTED) && !r.stderr.includes(PASTED.slice(5, 20)), "token echoed");
});

test("a URL with credentials in it is refused", async () => {
  const r = await migrateIn([{ ...good, grafana_url: "https://user:CanaryPassw0rd@acme.example.com" }]);
  assertOneProblem(r, /^grafana_servers\.json: servers\[0\]\.grafana_url: /);
  assert.doesNotMatch(r.stderr, /CanaryPassw0rd/);
});

test("customer id clashes are reported in legacy paths", async () => {
  const r = await migrateIn([good, { ...good, token_env: "GRAFANA_TOKEN_OTHER" }]);
  assertOneProblem(r, /^grafana_servers\.json: servers\[1\]\.name: customer id "acme"/);
});

test("the catalog is the one given by --catalog, and a missing one is one clean line", async () => {
  const r = await migrateIn([good], ["--catalog", "no-such-catalog"]);
  assertOneProblem(r, /^no-such-catalog: cannot read the catalog folder \S+no-such-catalog \(no such folder\); --catalog <dir> names it\n$/);
  const ok = await migrateIn([good], ["--out", "-"]);
  assert.equal(ok.code, 0, ok.stderr);
  assert.equal(JSON.parse(ok.stdout).customers[0].name, "Acme");
});
