/**
 * Proof that mcps reads a credentials file as docker-compose does: the same tricky file goes through
 * `docker-compose --env-file F config` and through our parser, and every value must agree. The file
 * stays inside what compose v1 and v2 agree on (see src/config/dotenv.ts for where they differ).
 * Values are canaries: a failure names the variable and the lengths, never the values.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { parse } from "yaml";
import { parseDotenv } from "../../src/config/dotenv.js";
import { requireTool, toolRuns } from "../support/host-tool.js";

const ENV_FILE = [
  "\uFEFF# credentials for the acme customer",
  "MCPSDOT_PLAIN=glsa_CanaryPlain0123456789abcdef",
  "export MCPSDOT_EXPORTED=canary-exported-7f3a",
  "MCPSDOT_SPACED =   canary spaced value   # trailing comment",
  "MCPSDOT_HASH=canary#not-a-comment",
  "MCPSDOT_INLINE=canary-inline #a comment",
  "\tMCPSDOT_TAB=\tcanary-tab\t",
  'MCPSDOT_DQ="canary\\nsecond \\"quoted\\" back\\\\slash # not a comment"',
  "MCPSDOT_SQ='canary single # kept, $ kept, \"double\" kept'",
  "MCPSDOT_REF=${MCPSDOT_PLAIN}/suffix",
  'MCPSDOT_DQREF="pre-${MCPSDOT_EXPORTED}-post"',
  "MCPSDOT_DEFAULT=${MCPSDOT_UNSET_ANYWHERE:-canary-default}",
  "MCPSDOT_FROMENV=${MCPSDOT_ENV_ONLY}",
  'MCPSDOT_MULTI="canary line one',
  'line two" # comment after',
  "MCPSDOT_EMPTY=",
  "MCPSDOT_DUP=canary-first",
  "MCPSDOT_DUP=canary-second",
  "MCPSDOT_CRLF=canary-crlf\r",
  "MCPSDOT_URL=https://h.example.com:8443/p?q=1&r=a+b/c==",
  'MCPSDOT_TRAIL="canary-trail"   # comment',
  "MCPSDOT_UNICODE=canary-äöü-✓",
  "MCPSDOT_SQEMPTY=''",
  'MCPSDOT_EQUALS="canary=with=equals"',
  "",
].join("\n");

const ENVIRONMENT = { MCPSDOT_ENV_ONLY: "canary-from-environment" };

test("docker-compose --env-file and mcps read the same credentials file alike", (t) => {
  if (!requireTool(t, toolRuns("docker-compose", ["version"]), "docker-compose", "apt-get install -y docker-compose")) return;
  const ours = parseDotenv(ENV_FILE, ENVIRONMENT);
  const keys = [...new Set([...ENV_FILE.matchAll(/^\s*(?:export )?(MCPSDOT_[A-Z_]+)/gm)].map((m) => m[1]!))];
  assert.ok(keys.length >= 20, "the file defines the variables we compare");
  const dir = mkdtempSync(path.join(os.tmpdir(), "mcps-dotenv-compose-"));
  try {
    writeFileSync(path.join(dir, "creds.env"), ENV_FILE);
    const services = { s: { image: "example.invalid/x", environment: Object.fromEntries(keys.map((k) => [k, `\${${k}}`])) } };
    writeFileSync(path.join(dir, "compose.yml"), JSON.stringify({ version: "3.7", services }));
    const env: NodeJS.ProcessEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("MCPSDOT_")));
    const r = spawnSync("docker-compose", ["--env-file", "creds.env", "-f", "compose.yml", "config"], {
      cwd: dir,
      env: { ...env, ...ENVIRONMENT },
      encoding: "utf8",
      timeout: 60_000,
    });
    assert.equal(r.status, 0, `docker-compose config failed (exit ${r.status})`);
    assert.doesNotMatch(r.stderr, /could not parse|is not set/, "compose read every line");
    const composeEnv = parse(r.stdout).services.s.environment as Record<string, unknown>;
    const mismatches: string[] = [];
    for (const key of keys) {
      // `config` writes $ as $$ so that its output is itself a valid compose file.
      const theirs = String(composeEnv[key] ?? "").replaceAll("$$", "$");
      const mine = ours.get(key);
      if (mine !== theirs) mismatches.push(`${key}: compose ${theirs.length} chars, mcps ${mine === undefined ? "unset" : `${mine.length} chars`}`);
    }
    assert.deepEqual(mismatches, []);
    // The comparison is not vacuous: the tricky values really were decoded.
    assert.equal(ours.get("MCPSDOT_REF"), `${ours.get("MCPSDOT_PLAIN")}/suffix`);
    assert.ok(ours.get("MCPSDOT_MULTI")?.includes("\n") && ours.get("MCPSDOT_DQ")?.includes('"'));
    assert.equal(ours.get("MCPSDOT_FROMENV"), ENVIRONMENT.MCPSDOT_ENV_ONLY);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
