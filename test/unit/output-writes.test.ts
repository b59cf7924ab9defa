/** What generate and migrate do write: stdout for -, the kept mode, links followed (two runs racing: cli-process-output-writes.test.ts). */
import assert from "node:assert/strict";
import { chmodSync, lstatSync, readFileSync, readlinkSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { parse } from "yaml";
import { runCli } from "../support/cli.js";
import { fixtureCustomer, REAL_CATALOG, inWorkspace } from "../support/workspace.js";
import { assertRefused, snapshot } from "../support/output-sandbox.js";

const config = { customers: [fixtureCustomer("Acme"), fixtureCustomer("Globex")] };

const inSandbox = (body: (dir: string) => void | Promise<void>) => inWorkspace(config, body);

const read = (dir: string, f: string) => readFileSync(path.join(dir, f), "utf8");
const modeOf = (dir: string, f: string) => statSync(path.join(dir, f)).mode & 0o777;

test(
  "generate --out - prints the compose file and writes nothing; --check with - is a usage error",
  inSandbox(async (dir) => {
    const before = snapshot(dir);
    const r = await runCli(["generate", "--out", "-"], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, "");
    const doc = parse(r.stdout);
    assert.deepEqual(Object.keys(doc.services).sort(), ["mcp-alpha-acme", "mcp-alpha-globex", "mcp-beta-acme", "mcp-beta-globex"]);
    assert.deepEqual(snapshot(dir), before);
    const check = await runCli(["generate", "--out", "-", "--check"], { cwd: dir });
    assert.equal(check.code, 2);
    assert.match(check.stderr, /^mcps: --check compares with a file on disk; --out - has none\n$/);
    assert.deepEqual(snapshot(dir), before);
  }),
);

test(
  "the mode of an existing output is kept; a read-only output is refused and left as it was",
  inSandbox(async (dir) => {
    writeFileSync(path.join(dir, "out.yml"), "old\n");
    chmodSync(path.join(dir, "out.yml"), 0o640);
    const r = await runCli(["generate", "--out", "out.yml"], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    assert.match(read(dir, "out.yml"), /mcp-alpha-acme/);
    assert.equal(modeOf(dir, "out.yml"), 0o640);

    writeFileSync(path.join(dir, "ro.yml"), "keep me\n");
    chmodSync(path.join(dir, "ro.yml"), 0o444);
    const before = snapshot(dir);
    const ro = await runCli(["generate", "--out", "ro.yml"], { cwd: dir });
    assertRefused(ro, "ro.yml", /is read-only \(mode 0444\); make it writable or choose another --out/);
    assert.deepEqual(snapshot(dir), before);
    // Checking a read-only file is fine: CI checkouts may be read-only.
    const check = await runCli(["generate", "--out", "ro.yml", "--check"], { cwd: dir });
    assert.equal(check.code, 1);
    assert.equal(read(dir, "ro.yml"), "keep me\n");
  }),
);

test(
  "a symlink to a regular file is followed: the target is replaced, the link is kept",
  inSandbox(async (dir) => {
    writeFileSync(path.join(dir, "real.yml"), "old\n");
    chmodSync(path.join(dir, "real.yml"), 0o600);
    symlinkSync("real.yml", path.join(dir, "link.yml"));
    const r = await runCli(["generate", "--out", "link.yml"], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    assert.ok(lstatSync(path.join(dir, "link.yml")).isSymbolicLink());
    assert.equal(readlinkSync(path.join(dir, "link.yml")), "real.yml");
    assert.match(read(dir, "real.yml"), /mcp-alpha-acme/);
    assert.equal(modeOf(dir, "real.yml"), 0o600);
    const again = await runCli(["generate", "--out", "link.yml", "--check"], { cwd: dir });
    assert.equal(again.code, 0, again.stdout);
  }),
);

test(
  "migrate --out - prints the converted file and writes nothing",
  inSandbox(async (dir) => {
    const legacy = { servers: [{ name: "Acme", grafana_url: "https://acme.example.com", token_env: "GRAFANA_TOKEN_ACME" }] };
    writeFileSync(path.join(dir, "grafana_servers.json"), JSON.stringify(legacy));
    const before = snapshot(dir);
    // The fixture catalog has no grafana type: check against the real one.
    const real = await runCli(["migrate", "--out", "-", "--catalog", REAL_CATALOG], { cwd: dir });
    assert.equal(real.code, 0, real.stderr);
    assert.equal(JSON.parse(real.stdout).customers[0].mcp_servers[0].config.token_env, "GRAFANA_TOKEN_ACME");
    assert.deepEqual(snapshot(dir), before);
  }),
);
