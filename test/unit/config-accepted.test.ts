/**
 * Inputs that are accepted, some with a warning on every run; the older file gets the same secret
 * rules as mcp_servers.json in both generate and migrate; a broken manifest hides no config problem.
 */
import assert from "node:assert/strict";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { runCli } from "../support/cli.js";
import { fixtureCustomer, REAL_CATALOG, workspace } from "../support/workspace.js";

/** The same sweep as config-hostile.test.ts (not imported: that would register its tests twice). */
function assertClean(r: { stdout: string; stderr: string }): void {
  assert.doesNotMatch(r.stderr, /\n\s+at |unexpected error/, "no stack trace");
  for (const canary of ["k3j4h5g6f7d8s9a0q1w2canary", "hunter2canary"]) assert.ok(!`${r.stdout}${r.stderr}`.includes(canary), r.stderr);
}

async function inWorkspace(config: unknown, body: (dir: string) => Promise<void>, catalog?: string): Promise<void> {
  const dir = workspace(config, catalog);
  try {
    await body(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test("a config saved with a BOM is read", async () => {
  await inWorkspace(`\ufeff${JSON.stringify({ customers: [fixtureCustomer("Acme")] })}`, async (dir) => {
    const r = await runCli(["generate"], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, "");
  });
});

test("0.0.0.0 with expose: true is accepted and warned about on every run", async () => {
  await inWorkspace({ customers: [fixtureCustomer("Acme")], defaults: { bind_address: "0.0.0.0", expose: true } }, async (dir) => {
    for (const run of [1, 2]) {
      const r = await runCli(["generate"], { cwd: dir });
      assert.equal(r.code, 0, r.stderr);
      assert.match(
        r.stderr,
        /^mcps: warning: mcp_servers\.json: defaults\.bind_address: ports are published on 0\.0\.0\.0, reachable from other machines/m,
        `run ${run}`,
      );
      assert.equal(r.stderr.trimEnd().split("\n").length, 1);
    }
    assert.match(readFileSync(path.join(dir, "docker-compose.mcps.yml"), "utf8"), /"0\.0\.0\.0:\d+:8000"/);
  });
});

test("a pinned privileged port is kept, with a warning; through a url as well", async () => {
  const customer = fixtureCustomer("Acme");
  customer.mcp_servers[0] = { ...customer.mcp_servers[0]!, port: 443 } as never;
  customer.mcp_servers[1] = { ...customer.mcp_servers[1]!, url: "http://127.0.0.1:80/sse" } as never;
  await inWorkspace({ customers: [customer] }, async (dir) => {
    const r = await runCli(["generate"], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /^mcps: warning: mcp_servers\.json: customers\[0\]\.mcp_servers\[0\]\.port: host port 443 is below 1024/m);
    assert.match(r.stderr, /^mcps: warning: mcp_servers\.json: customers\[0\]\.mcp_servers\[1\]\.url: host port 80 is below 1024/m);
    const text = readFileSync(path.join(dir, "docker-compose.mcps.yml"), "utf8");
    assert.match(text, /"127\.0\.0\.1:443:8000"/);
    assert.match(text, /"127\.0\.0\.1:80:3001"/);
  });
});

test("an id wins over a name when both point at the same customer, and a name still selects", async () => {
  const config = { customers: [fixtureCustomer("Acme", { id: "acme" }), fixtureCustomer("Bolt Inc", { id: "bolt" })] };
  await inWorkspace(config, async (dir) => {
    const byName = await runCli(["generate", "--customer", "Bolt Inc"], { cwd: dir });
    assert.equal(byName.code, 0, byName.stderr);
    assert.match(byName.stdout, /2 services for 1 customer\)/);
    assert.match(readFileSync(path.join(dir, "docker-compose.mcps.yml"), "utf8"), /mcp-beta-bolt:/);
    const byId = await runCli(["generate", "--customer", "acme"], { cwd: dir });
    assert.equal(byId.code, 0, byId.stderr);
    assert.doesNotMatch(readFileSync(path.join(dir, "docker-compose.mcps.yml"), "utf8"), /mcp-beta-bolt:/);
  });
});

const LOWER_CANARY = "k3j4h5g6f7d8s9a0q1w2canary";
const legacy = (server: Record<string, unknown>) => ({
  servers: [{ name: "Acme", grafana_url: "https://acme.example.com", token_env: "GRAFANA_TOKEN_ACME", ...server }],
});

for (const [what, server, message] of [
  ["a lowercase pasted token", { token_env: LOWER_CANARY }, "servers[0].token_env: holds what looks like a pasted secret, not a variable name"],
  ["credentials in grafana_url", { grafana_url: "https://admin:hunter2canary@grafana.example.com" }, "servers[0].grafana_url: carries credentials"],
  ["port 0 in mcp_url", { mcp_url: "http://localhost:0/mcp" }, "servers[0].mcp_url: port 0 is not a port"],
] as const) {
  test(`the older file: ${what} is refused by generate and by migrate, unechoed`, async () => {
    await inWorkspace(
      { customers: [] },
      async (dir) => {
        rmSync(path.join(dir, "mcp_servers.json"));
        writeFileSync(path.join(dir, "grafana_servers.json"), JSON.stringify(legacy(server)));
        for (const args of [["generate", "--config", "grafana_servers.json"], ["migrate"]]) {
          const r = await runCli(args, { cwd: dir });
          assert.equal(r.code, 2, `${args[0]}: ${r.stderr}`);
          assert.equal(r.stderr, `grafana_servers.json: ${message}${r.stderr.slice(`grafana_servers.json: ${message}`.length)}`);
          assert.equal(r.stderr.trimEnd().split("\n").length, 1, r.stderr);
          assertClean(r);
        }
        assert.ok(!existsSync(path.join(dir, "mcp_servers.json")), "migrate wrote nothing");
        assert.ok(!existsSync(path.join(dir, "docker-compose.mcps.yml")), "generate wrote nothing");
      },
      REAL_CATALOG,
    );
  });
}

test("a broken manifest and the config's own problems are reported together", async () => {
  await inWorkspace({ customers: [{ ...fixtureCustomer("Acme"), hots: "x" }], extra: true }, async (dir) => {
    writeFileSync(
      path.join(dir, "mcps/beta/mcp.yaml"),
      "description: x\nport: 99999\ntransport: sse\npath: /sse\nimage: i\nresources: {cpus: 1, memory: 1g, pids: 1}\n",
    );
    const r = await runCli(["generate"], { cwd: dir });
    assert.equal(r.code, 2);
    const lines = r.stderr.trimEnd().split("\n");
    assert.ok(
      lines.some((l) => /^mcps\/beta\/mcp\.yaml: port: /.test(l)),
      r.stderr,
    );
    assert.ok(lines.includes("mcp_servers.json: extra: unknown key"), r.stderr);
    assert.ok(lines.includes("mcp_servers.json: customers[0].hots: unknown key"), r.stderr);
    assert.ok(!lines.some((l) => l.includes("unknown MCP type")), r.stderr);
    assertClean(r);
  });
});
