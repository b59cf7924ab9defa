import assert from "node:assert/strict";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { runCli } from "../support/cli.js";
import { REAL_CATALOG, workspace } from "../support/workspace.js";

const legacy = {
  servers: [
    {
      name: "Vattenfall DE",
      description: "maas-1203",
      grafana_url: "https://maas-1203.mon.example.com",
      token_env: "GRAFANA_TOKEN_VATTENFALL",
      mcp_url: "http://localhost:8001/mcp",
    },
    { name: "Segurcaixa", grafana_url: "https://maas-1171.mon.example.com", token_env: "GRAFANA_TOKEN_SEGURCAIXA" },
  ],
};

test("migrate converts grafana_servers.json, and the result generates like the original", async () => {
  const dir = workspace({ customers: [] }, REAL_CATALOG);
  try {
    rmSync(path.join(dir, "mcp_servers.json"));
    writeFileSync(path.join(dir, "grafana_servers.json"), JSON.stringify(legacy));
    // The older file is accepted as it is...
    const direct = await runCli(["generate", "--config", "grafana_servers.json", "--out", "direct.yml"], { cwd: dir });
    assert.equal(direct.code, 0, direct.stderr);
    // ...and migrate writes the new one.
    const r = await runCli(["migrate"], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    const migrated = JSON.parse(readFileSync(path.join(dir, "mcp_servers.json"), "utf8"));
    assert.deepEqual(migrated.customers[0], {
      name: "Vattenfall DE",
      description: "maas-1203",
      mcp_servers: [
        {
          type: "grafana",
          config: { grafana_url: "https://maas-1203.mon.example.com", token_env: "GRAFANA_TOKEN_VATTENFALL" },
          url: "http://localhost:8001/mcp",
        },
      ],
    });
    const gen = await runCli(["generate", "--out", "direct.yml", "--check"], { cwd: dir });
    // Only the header (which names the source file) may differ.
    assert.match(gen.stdout, /services are the same; other parts of the file \(header, networks or layout\) differ/);
    assert.match(readFileSync(path.join(dir, "direct.yml"), "utf8"), /127\.0\.0\.1:8001:8000/);
    // Never overwrites without --force.
    const again = await runCli(["migrate"], { cwd: dir });
    assert.equal(again.code, 2);
    assert.match(again.stderr, /already exists; pass --force/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("legacy file problems are reported in the legacy file's own paths", async () => {
  const dir = workspace({ customers: [] }, REAL_CATALOG);
  try {
    const bad = { servers: [legacy.servers[0], { ...legacy.servers[1], token_env: "not a var" }, { ...legacy.servers[1] }] };
    writeFileSync(path.join(dir, "grafana_servers.json"), JSON.stringify(bad));
    const r = await runCli(["generate", "--config", "grafana_servers.json"], { cwd: dir });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^grafana_servers\.json: servers\[1\]\.token_env: must name the variable that holds the secret, in UPPER_CASE letters/m);
    const fixed = { servers: [legacy.servers[0], legacy.servers[1], legacy.servers[1]] };
    writeFileSync(path.join(dir, "grafana_servers.json"), JSON.stringify(fixed));
    const dup = await runCli(["generate", "--config", "grafana_servers.json"], { cwd: dir });
    assert.equal(dup.code, 2);
    assert.match(dup.stderr, /^grafana_servers\.json: servers\[2\]\.name: customer id "segurcaixa"/m);
    assert.ok(!existsSync(path.join(dir, "docker-compose.mcps.yml")));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
