/**
 * Bad inputs: one `file: path: message` line per problem and the previous output left byte for byte
 * as it was (in process, the generate command itself); through the real CLI for a few: exit 2, no stack trace.
 */
import assert from "node:assert/strict";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { runCli } from "../support/cli.js";
import { generateRefusal } from "../support/generate-in-process.js";
import { fixtureCustomer, workspace } from "../support/workspace.js";

const good = () => ({ customers: [fixtureCustomer("Acme Corp")] });

function withServer(patch: Record<string, unknown>, at = 0) {
  const cfg = good();
  Object.assign(cfg.customers[0]!.mcp_servers[at]!, patch);
  return cfg;
}

const cases: Array<{ name: string; config: unknown; expect: string[] }> = [
  {
    name: "unknown type lists the known ones",
    config: withServer({ type: "grafna" }),
    expect: ['mcp_servers.json: customers[0].mcp_servers[0].type: unknown MCP type "grafna"; known types: alpha, beta'],
  },
  {
    name: "duplicate customer id",
    config: { customers: [fixtureCustomer("Acme", { id: "acme" }), fixtureCustomer("Other", { id: "acme" })] },
    expect: ['mcp_servers.json: customers[1].id: customer id "acme" (given as id) clashes with customers[0] "Acme"'],
  },
  {
    name: "slug clash between names",
    config: { customers: [fixtureCustomer("Vattenfall DE"), fixtureCustomer("vattenfall-de")] },
    expect: ['customers[1].name: customer id "vattenfall-de" (derived from name) clashes with customers[0] "Vattenfall DE"'],
  },
  {
    name: "a type twice in one customer",
    config: { customers: [{ name: "Acme", mcp_servers: [...fixtureCustomer("Acme").mcp_servers, { type: "beta", config: { region: "x" } }] }] },
    expect: ['customers[0].mcp_servers[2].type: type "beta" appears twice in this customer (first at mcp_servers[1])'],
  },
  {
    name: "missing required config key",
    config: withServer({ config: { token_env: "T" } }),
    expect: ["customers[0].mcp_servers[0].config.api_url: is required by type alpha"],
  },
  {
    name: "unknown config key",
    config: withServer({ config: { api_url: "https://x", token_env: "T", tokn: 1 } }),
    expect: ["customers[0].mcp_servers[0].config.tokn: unknown key for type alpha; known keys: api_url, token_env, mode"],
  },
  {
    name: "an _env value that is not a variable name (a pasted secret)",
    config: withServer({ config: { api_url: "https://x", token_env: "glsa-12345-secret" } }),
    expect: ["customers[0].mcp_servers[0].config.token_env: holds what looks like a pasted secret, not a variable name"],
  },
  {
    name: "malformed memory and cpus",
    config: withServer({ resources: { memory: "12 parsecs", cpus: "lots" } }),
    expect: [
      'customers[0].mcp_servers[0].resources.memory: must be like "256m", "1g" or a byte count',
      "customers[0].mcp_servers[0].resources.cpus: must be a number of cores, like 0.5",
    ],
  },
  {
    name: "negative cpus in defaults",
    config: { ...good(), defaults: { resources: { cpus: -1 } } },
    expect: ["defaults.resources.cpus: must be at least 0.01 cores"],
  },
  {
    name: "unknown key at the root and in a customer",
    config: { customers: [{ ...fixtureCustomer("Acme"), hots: "x" }], extra: true },
    expect: ["mcp_servers.json: extra: unknown key", "customers[0].hots: unknown key"],
  },
  {
    name: "wrong types",
    config: { customers: [{ name: 42, mcp_servers: {} }] },
    expect: ["customers[0].name: must be a string, not number", "customers[0].mcp_servers: must be an array, not an object"],
  },
  {
    name: "customers missing",
    config: {},
    expect: ["mcp_servers.json: customers: is required"],
  },
  {
    name: "invalid JSON, located",
    config: '{\n  "customers": [\n    { "name": "A", }\n  ]\n}',
    expect: ["mcp_servers.json:3:20: invalid JSON: trailing comma before '}'"],
  },
  {
    name: "two pinned ports collide",
    config: {
      customers: [
        fixtureCustomer("Acme", { mcp_servers: [{ type: "beta", port: 21000, config: { region: "x" } }] }),
        fixtureCustomer("Bolt", { mcp_servers: [{ type: "beta", port: 21000, config: { region: "y" } }] }),
      ],
    },
    expect: ["customers[1].mcp_servers[0].port: port 21000 is already pinned at customers[0].mcp_servers[0].port"],
  },
  {
    name: "an old-style url that does not match",
    config: withServer({ url: "http://localhost:8001/wrong" }),
    expect: ['customers[0].mcp_servers[0].url: "http://localhost:8001/wrong" does not match the derived http://127.0.0.1:<port>/mcp'],
  },
  {
    name: "bad id and bad port",
    config: { customers: [fixtureCustomer("Acme", { id: "Acme Corp" })], defaults: { port_range: { from: 20000, to: 20010 } } },
    expect: ["customers[0].id: must be lower-case letters, digits and dashes", "defaults.port_range: must span at least 100 ports"],
  },
  {
    name: "problems in several customers at once",
    config: {
      customers: [
        fixtureCustomer("A", { mcp_servers: [{ type: "nope", config: {} }] }),
        fixtureCustomer("B", { mcp_servers: [{ type: "beta", config: {}, resources: { pids: 0 } }] }),
        fixtureCustomer("C", { mcp_servers: [{ type: "beta", config: { region: "x", zone: "y" } }] }),
      ],
    },
    expect: [
      "customers[0].mcp_servers[0].type: unknown MCP type",
      "customers[1].mcp_servers[0].resources.pids: must be at least 1",
      "customers[2].mcp_servers[0].config.zone: unknown key",
    ],
  },
];

// The rules, in process: the same command function and the same lines the CLI prints.
for (const c of cases) {
  test(`bad input: ${c.name}`, async () => {
    const dir = workspace(c.config);
    try {
      const out = path.join(dir, "docker-compose.mcps.yml");
      writeFileSync(out, "# the previous output\n");
      const { lines } = await generateRefusal(dir);
      const shown = lines.join("\n");
      for (const want of c.expect)
        assert.ok(
          lines.some((l) => l.includes(want)),
          `missing ${JSON.stringify(want)} in:\n${shown}`,
        );
      assert.equal(lines.length, c.expect.length, `one line per problem, got:\n${shown}`);
      for (const l of lines) assert.match(l, /^mcp_servers\.json(?::\d+:\d+)?: /);
      assert.doesNotMatch(shown, /glsa-12345/, "no secret echoed");
      assert.equal(readFileSync(out, "utf8"), "# the previous output\n", "previous output untouched");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

// Through the whole CLI for two cases (a pasted secret; several problems at once): exit 2, stderr only,
// no stack trace, no secret, the previous output kept.
for (const c of [cases.find((x) => x.name.includes("pasted secret"))!, cases.find((x) => x.expect.length > 1)!])
  test(`bad input through the CLI: ${c.name}: exit 2, one stderr line per problem, no stack trace, output untouched`, async () => {
    const dir = workspace(c.config);
    try {
      const out = path.join(dir, "docker-compose.mcps.yml");
      writeFileSync(out, "# the previous output\n");
      const r = await runCli(["generate"], { cwd: dir });
      assert.equal(r.code, 2, r.stderr);
      assert.equal(r.stdout, "");
      const lines = r.stderr.trimEnd().split("\n");
      assert.equal(lines.length, c.expect.length, `one line per problem, got:\n${r.stderr}`);
      for (const want of c.expect)
        assert.ok(
          lines.some((l) => l.includes(want)),
          `missing ${JSON.stringify(want)} in:\n${r.stderr}`,
        );
      assert.doesNotMatch(r.stderr, /glsa-12345/, "no secret echoed");
      assert.doesNotMatch(r.stderr, /\n\s+at /, "no stack trace");
      assert.equal(readFileSync(out, "utf8"), "# the previous output\n", "previous output untouched");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

test("a missing config file is bad input, named", async () => {
  const dir = workspace(good());
  try {
    const r = await runCli(["generate", "--config", "nope.json"], { cwd: dir });
    assert.equal(r.code, 2);
    assert.equal(r.stderr, "nope.json: file not found\n");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a broken manifest in the catalog is reported with its file and path", async () => {
  const dir = workspace(good());
  try {
    writeFileSync(
      path.join(dir, "mcps/beta/mcp.yaml"),
      "description: x\nport: 99999\ntransport: carrier-pigeon\npath: /sse\nimage: i\nresources: {cpus: 1, memory: 1g, pids: 1}\n",
    );
    const r = await runCli(["generate"], { cwd: dir });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^mcps\/beta\/mcp\.yaml: port: /m);
    assert.match(r.stderr, /^mcps\/beta\/mcp\.yaml: transport: must be one of "streamable-http", "sse"$/m);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("an unknown flag is bad input (exit 2)", async () => {
  const r = await runCli(["generate", "--frobnicate"]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /unknown option '--frobnicate'/);
});
