import assert from "node:assert/strict";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { parse } from "yaml";
import { runCli } from "../support/cli.js";
import { composeSpecErrors } from "../support/compose-spec.js";
import { fixtureCustomer, REAL_CATALOG, workspace } from "../support/workspace.js";

type Compose = { services: Record<string, any>; networks: Record<string, any> };

async function generateIn(dir: string, args: string[] = []): Promise<Compose> {
  const r = await runCli(["generate", ...args], { cwd: dir });
  assert.equal(r.code, 0, r.stderr);
  return parse(readFileSync(path.join(dir, "docker-compose.mcps.yml"), "utf8"), { maxAliasCount: -1 });
}

async function inWorkspace(config: unknown, body: (dir: string) => Promise<void>, catalog?: string) {
  const dir = workspace(config, catalog);
  try {
    await body(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const ports = (c: Compose) => Object.fromEntries(Object.entries(c.services).map(([n, s]) => [n, s.ports[0]]));
const hashes = (c: Compose) => Object.fromEntries(Object.entries(c.services).map(([n, s]) => [n, s.labels["mcps.config-hash"]]));

test("the bundled example validates against the Compose Specification", async () => {
  const config = JSON.parse(readFileSync(path.join(REAL_CATALOG, "../mcp_servers.json"), "utf8"));
  await inWorkspace(
    config,
    async (dir) => {
      const doc = await generateIn(dir);
      assert.deepEqual(composeSpecErrors(doc), []);
      assert.deepEqual(Object.keys(doc.services), [
        "mcp-alertmanager-segurcaixa",
        "mcp-alertmanager-vattenfall-de",
        "mcp-genesys-vattenfall-de",
        "mcp-grafana-segurcaixa",
        "mcp-grafana-vattenfall-de",
      ]);
    },
    REAL_CATALOG,
  );
});

test("every service is hardened, limited, labelled, health-checked and on its customer's network", async () => {
  await inWorkspace({ customers: [fixtureCustomer("Acme Corp", { type: "enterprise" })] }, async (dir) => {
    const doc = await generateIn(dir);
    const s = doc.services["mcp-alpha-acme-corp"];
    assert.equal(s.restart, "unless-stopped");
    assert.equal(s.init, true);
    assert.deepEqual(s.cap_drop, ["ALL"]);
    assert.deepEqual(s.security_opt, ["no-new-privileges:true"]);
    assert.deepEqual(s.deploy.resources.limits, { cpus: "0.5", memory: "256m" });
    assert.equal(s.pids_limit, 128);
    assert.deepEqual(s.profiles, ["acme-corp"]);
    assert.deepEqual(s.networks, { "acme-corp": { aliases: ["alpha"] } });
    assert.equal(s.user, "1000:1000");
    assert.equal(s.read_only, true);
    assert.deepEqual(s.volumes, [{ type: "tmpfs", target: "/tmp", tmpfs: { size: 64 * 1024 * 1024 } }]);
    assert.equal(s.stop_grace_period, "10s");
    assert.deepEqual(doc.networks["acme-corp"].name, "mcps-acme-corp");
    assert.match(s.ports[0], /^127\.0\.0\.1:\d+:8000$/);
    assert.equal(s.labels["mcps.customer"], "acme-corp");
    assert.equal(s.labels["mcps.customer-type"], "enterprise");
    assert.equal(s.labels["mcps.type"], "alpha");
    assert.match(s.labels["mcps.config-hash"], /^[0-9a-f]{64}$/);
    // sh answers from a fresh verdict ("$@" written "$$@": compose would expand it), else node runs the exchange.
    assert.deepEqual(s.healthcheck.test.slice(0, 3), ["CMD", "/bin/sh", "-c"]);
    assert.match(s.healthcheck.test[3], /\|\| exec "\$\$@"$/);
    assert.deepEqual(s.healthcheck.test.slice(4, 7), ["mcps-healthcheck", "node", "-e"]);
    assert.deepEqual(s.healthcheck.test.slice(8), ["8000", "/mcp", "streamable-http", "9000", "60000"]);
    assert.equal(s.build.context, "mcps/alpha");
    assert.equal(s.build.args.BASE_IMAGE, "${BASE_IMAGE:-node:20-bookworm-slim}");
    assert.match(s.image, /^mcps\/alpha:[0-9a-f]{12}$/);
    const beta = doc.services["mcp-beta-acme-corp"];
    assert.equal(beta.build, undefined, "prebuilt types carry no build section");
    assert.deepEqual(beta.healthcheck.test.slice(8), ["3001", "/sse", "sse", "4000", "60000"]);
    assert.deepEqual(beta.command, ["beta-server", "--listen", "0.0.0.0:3001"]);
  });
});

test("credentials only as ${VAR} references; literal $ escaped", async () => {
  const customer = fixtureCustomer("Acme");
  customer.mcp_servers[0]!.config = { api_url: "https://x.example.com/?a=$HOME", token_env: "ALPHA_TOKEN_ACME" };
  await inWorkspace({ customers: [customer] }, async (dir) => {
    const r = await runCli(["generate"], { cwd: dir, env: { ALPHA_TOKEN_ACME: "s3cr3t-value-must-not-leak" } });
    assert.equal(r.code, 0, r.stderr);
    const text = readFileSync(path.join(dir, "docker-compose.mcps.yml"), "utf8");
    assert.ok(!text.includes("s3cr3t-value-must-not-leak"));
    const env = parse(text, { maxAliasCount: -1 }).services["mcp-alpha-acme"].environment;
    assert.deepEqual(env, { ALPHA_MODE: "normal", ALPHA_TOKEN: "${ALPHA_TOKEN_ACME}", ALPHA_URL: "https://x.example.com/?a=$$HOME" });
  });
});

test("adding, removing and reordering customers leaves every other port and hash unchanged", async () => {
  const names = ["Acme", "Bolt", "Crane", "Delta", "Echo", "Foxtrot", "Golf", "Hotel"];
  const config = { customers: names.map((n) => fixtureCustomer(n)) };
  await inWorkspace(config, async (dir) => {
    const before = await generateIn(dir);
    // A dense port range forces collisions, so stability must come from more than luck.
    const file = path.join(dir, "mcp_servers.json");
    const dense = { defaults: { port_range: { from: 21000, to: 21099 } } };
    writeFileSync(file, JSON.stringify({ ...config, ...dense }));
    rmSync(path.join(dir, "docker-compose.mcps.yml"));
    const base = await generateIn(dir);
    const grown = { ...dense, customers: [fixtureCustomer("Aardvark"), ...config.customers.slice().reverse(), fixtureCustomer("Zulu")] };
    grown.customers.splice(3, 1); // and one removed
    writeFileSync(file, JSON.stringify(grown));
    const after = await generateIn(dir);
    const removed = "mcp-alpha-foxtrot";
    for (const [name, port] of Object.entries(ports(base))) {
      if (name.endsWith("-foxtrot")) continue;
      assert.equal(ports(after)[name], port, `${name} kept its port`);
      assert.equal(hashes(after)[name], hashes(base)[name], `${name} kept its hash`);
    }
    assert.ok(!(removed in after.services));
    assert.equal(new Set(Object.values(ports(after))).size, Object.keys(after.services).length, "no two services share a port");
    assert.ok(Object.keys(before.services).length > 0);
  });
});

test("without a previous file, ports derive from names alone (same on any machine)", async () => {
  const config = { customers: [fixtureCustomer("Acme"), fixtureCustomer("Bolt")] };
  await inWorkspace(config, async (dir) => {
    const a = ports(await generateIn(dir));
    rmSync(path.join(dir, "docker-compose.mcps.yml"));
    writeFileSync(path.join(dir, "mcp_servers.json"), JSON.stringify({ customers: config.customers.slice().reverse() }));
    assert.deepEqual(ports(await generateIn(dir)), a);
  });
});

test("pinned ports are honoured", async () => {
  const customer = fixtureCustomer("Acme");
  (customer.mcp_servers[1] as Record<string, unknown>).port = 18080;
  await inWorkspace({ customers: [customer] }, async (dir) => {
    assert.equal((await generateIn(dir)).services["mcp-beta-acme"].ports[0], "127.0.0.1:18080:3001");
  });
});

test("deterministic: byte-identical output, and --check passes on it", async () => {
  await inWorkspace({ customers: [fixtureCustomer("Acme"), fixtureCustomer("Bolt")] }, async (dir) => {
    const out = path.join(dir, "docker-compose.mcps.yml");
    await generateIn(dir);
    const first = readFileSync(out, "utf8");
    rmSync(out);
    await generateIn(dir);
    assert.equal(readFileSync(out, "utf8"), first);
    const r = await runCli(["generate", "--check"], { cwd: dir });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /up to date/);
  });
});

test("--check exits 1 with a summary when stale, and writes nothing", async () => {
  await inWorkspace({ customers: [fixtureCustomer("Acme"), fixtureCustomer("Bolt")] }, async (dir) => {
    await generateIn(dir);
    const out = path.join(dir, "docker-compose.mcps.yml");
    const before = readFileSync(out, "utf8");
    const changed = { customers: [fixtureCustomer("Acme"), fixtureCustomer("Cobra")] };
    changed.customers[0]!.mcp_servers[1]!.config = { region: "us-2" };
    writeFileSync(path.join(dir, "mcp_servers.json"), JSON.stringify(changed));
    const r = await runCli(["generate", "--check"], { cwd: dir });
    assert.equal(r.code, 1);
    assert.match(r.stdout, /stale/);
    assert.match(r.stdout, /~ mcp-beta-acme: environment, labels differ/);
    assert.match(r.stdout, /\+ mcp-alpha-cobra \(missing from the file\)/);
    assert.match(r.stdout, /- mcp-alpha-bolt \(no longer in the plan\)/);
    assert.equal(readFileSync(out, "utf8"), before);
    rmSync(out);
    const missing = await runCli(["generate", "--check"], { cwd: dir });
    assert.equal(missing.code, 1);
    assert.match(missing.stdout, /the file does not exist/);
  });
});

test("disabled customers and servers generate nothing; --customer narrows", async () => {
  const off = fixtureCustomer("Off", { enabled: false });
  const half = fixtureCustomer("Half");
  (half.mcp_servers[0] as Record<string, unknown>).enabled = false;
  await inWorkspace({ customers: [off, half, fixtureCustomer("Acme")] }, async (dir) => {
    assert.deepEqual(Object.keys((await generateIn(dir)).services), ["mcp-alpha-acme", "mcp-beta-acme", "mcp-beta-half"]);
    assert.deepEqual(Object.keys((await generateIn(dir, ["--customer", "Acme"])).services), ["mcp-alpha-acme", "mcp-beta-acme"]);
    const r = await runCli(["generate", "--customer", "nobody"], { cwd: dir });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /unknown customer "nobody"/);
  });
});

test("an old-style url pins the port it names", async () => {
  const customer = fixtureCustomer("Acme");
  (customer.mcp_servers[0] as Record<string, unknown>).url = "http://localhost:18001/mcp";
  await inWorkspace({ customers: [customer] }, async (dir) => {
    assert.equal((await generateIn(dir)).services["mcp-alpha-acme"].ports[0], "127.0.0.1:18001:8000");
  });
});
