/**
 * Hostile and careless config input: one line per problem naming the file and path, no canary secret
 * in any line, the previous output kept (in process, the generate command itself); through the real
 * CLI for the command-line cases and one config case: exit 2, no stack trace, nothing on stdout.
 */
import assert from "node:assert/strict";
import { cpSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { runCli } from "../support/cli.js";
import { generateRefusal } from "../support/generate-in-process.js";
import { fixtureCustomer, workspace } from "../support/workspace.js";

const CANARY = "glsa_CANARYabc123def456ghi789jkl012";
const LOWER_CANARY = "k3j4h5g6f7d8s9a0q1w2canary";
const CANARIES = [CANARY, LOWER_CANARY, "CANARYabc123", "hunter2canary"];

const good = () => ({ customers: [fixtureCustomer("Acme Corp")] });
function withServer(patch: Record<string, unknown>, at = 0) {
  const cfg = good();
  Object.assign(cfg.customers[0]!.mcp_servers[at]!, patch);
  return cfg;
}
const alpha = (config: Record<string, unknown>) =>
  withServer({ config: { api_url: "https://acme.example.com", token_env: "ALPHA_TOKEN", ...config } });

interface Case {
  name: string;
  config: unknown;
  expect: string[];
  args?: string[];
  /** Extra type folders to add to the workspace catalog: name -> copied from. */
  types?: Record<string, string>;
}

const cases: Case[] = [
  {
    name: "a second, empty customers key",
    config: `{\n  "customers": [${JSON.stringify(fixtureCustomer("Acme"))}],\n  "customers": []\n}`,
    expect: ["mcp_servers.json:3:3: customers: duplicate key (first at line 2, column 3)"],
  },
  {
    name: "a duplicated token_env, and a duplicated name elsewhere",
    config: `{"customers": [{"name": "A", "name": "B", "mcp_servers": [{"type": "alpha", "config": {"api_url": "https://a.example.com", "token_env": "ALPHA_A", "token_env": "ALPHA_OTHER"}}]}]}`,
    expect: ["mcp_servers.json:1:30: customers[0].name: duplicate key", "customers[0].mcp_servers[0].config.token_env: duplicate key"],
  },
  { name: "a trailing comma in an array", config: '{"customers": [1,]}', expect: ["mcp_servers.json:1:18: invalid JSON: trailing comma before ']'"] },
  {
    name: "an unquoted pasted token",
    config: `{\n  "customers": [{"name": "A", "mcp_servers": [{"type": "alpha", "config": {"token_env": ${CANARY}}}]}]\n}`,
    expect: ["mcp_servers.json:2:89: invalid JSON: expected a value"],
  },
  { name: "single quotes", config: "{'customers': []}", expect: ["mcp_servers.json:1:2: invalid JSON: expected a property name in double quotes"] },
  { name: "nothing after an open brace", config: '{"customers": [', expect: ["mcp_servers.json:1:16: invalid JSON: unexpected end of file"] },
  {
    name: "two documents",
    config: '{"customers": []} {"customers": []}',
    expect: ["mcp_servers.json:1:19: invalid JSON: unexpected content after the JSON value"],
  },
  {
    name: "nesting 100000 deep",
    config: `{"customers": ${"[".repeat(100_000)}`,
    expect: ["customers[0][0][0][0][0][0][0]...: nested deeper than 256 levels"],
  },
  {
    name: "a raw control character inside a string",
    config: '{"customers": [], "$schema": "a\u0001b"}',
    expect: ["mcp_servers.json:1:32: invalid JSON: unescaped control character"],
  },
  {
    name: "a pasted token in token_env",
    config: alpha({ token_env: CANARY }),
    expect: ["customers[0].mcp_servers[0].config.token_env: holds what looks like a pasted secret, not a variable name"],
  },
  {
    name: "a lowercase pasted token in token_env",
    config: alpha({ token_env: LOWER_CANARY }),
    expect: ["customers[0].mcp_servers[0].config.token_env: holds what looks like a pasted secret, not a variable name"],
  },
  {
    name: "constructor, toString and __proto__ as config keys",
    config:
      '{"customers": [{"name": "A", "mcp_servers": [{"type": "beta", "config": {"region": "eu-1", "constructor": "x", "toString": "y", "__proto__": "z"}}]}]}',
    expect: ["customers[0].mcp_servers[0].config.__proto__: unknown key"],
  },
  {
    name: "constructor and toString as config keys",
    config: '{"customers": [{"name": "A", "mcp_servers": [{"type": "beta", "config": {"region": "eu-1", "constructor": "x", "toString": "y"}}]}]}',
    expect: [
      "customers[0].mcp_servers[0].config.constructor: unknown key for type beta",
      "customers[0].mcp_servers[0].config.toString: unknown key for type beta",
    ],
  },
  {
    name: "__proto__ at the root",
    config: '{"customers": [], "__proto__": {"polluted": true}}',
    expect: ["mcp_servers.json: __proto__: unknown key"],
  },
  {
    name: "a NUL byte and a bidi override in values",
    config: { customers: [{ ...fixtureCustomer("Acme"), description: "a\u0000b", host: "x\u202ey" }] },
    expect: ["customers[0].description: contains a control character (U+0000)", "customers[0].host: contains a control character (U+202E)"],
  },
  { name: "a URL-typed key that is not a URL", config: alpha({ api_url: "not a url" }), expect: ['config.api_url: "not a url" is not a URL'] },
  {
    name: "credentials in a URL-typed key",
    config: alpha({ api_url: `https://admin:${CANARY}@grafana.example.com` }),
    expect: ["customers[0].mcp_servers[0].config.api_url: carries credentials (user:password@ in the URL); credentials belong in *_env variables"],
  },
  {
    name: "credentials in a server url",
    config: withServer({ url: "http://admin:hunter2canary@127.0.0.1:21000/mcp" }),
    expect: ["customers[0].mcp_servers[0].url: carries credentials"],
  },
  {
    name: "a region that is not one",
    config: withServer({ config: { region: "eu 1; rm -rf" } }, 1),
    expect: ['customers[0].mcp_servers[1].config.region: "eu 1; rm -rf" is not a region name'],
  },
  {
    name: "memory 0, memory 1b and cpus below Docker's minimum",
    config: {
      customers: [
        fixtureCustomer("A", { mcp_servers: [{ type: "beta", config: { region: "x" }, resources: { memory: "0", cpus: 0.000001 } }] }),
        fixtureCustomer("B", { mcp_servers: [{ type: "beta", config: { region: "x" }, resources: { memory: "1b" } }] }),
      ],
    },
    expect: [
      'customers[0].mcp_servers[0].resources.memory: must be at least "6m"',
      "customers[0].mcp_servers[0].resources.cpus: must be at least 0.01 cores",
      'customers[1].mcp_servers[0].resources.memory: must be at least "6m"',
    ],
  },
  {
    name: "memory 0 as a number in defaults",
    config: { ...good(), defaults: { resources: { memory: 0 } } },
    expect: ['defaults.resources.memory: must be at least "6m"'],
  },
  {
    name: "port 0 through a url",
    config: withServer({ url: "http://127.0.0.1:0/mcp" }),
    expect: ["customers[0].mcp_servers[0].url: port 0 is not a port"],
  },
  { name: "port 0 pinned", config: withServer({ port: 0 }), expect: ["customers[0].mcp_servers[0].port: must be a port number, 1-65535"] },
  {
    name: "a port range outside 1024-65535",
    config: { ...good(), defaults: { port_range: { from: 0, to: 70000 } } },
    expect: ["defaults.port_range.from: must be 1024-65535", "defaults.port_range.to: must be 1024-65535"],
  },
  {
    name: "0.0.0.0 without expose",
    config: { ...good(), defaults: { bind_address: "0.0.0.0" } },
    expect: ['defaults.bind_address: publishes every MCP server on every network interface; set "expose": true'],
  },
  {
    name: "two (customer, type) pairs with one service name",
    config: {
      customers: [
        { name: "x-acme", mcp_servers: [{ type: "beta", config: { region: "x" } }] },
        { name: "acme", mcp_servers: [{ type: "beta-x", config: { region: "x" } }] },
      ],
    },
    types: { "beta-x": "beta" },
    expect: [
      'customers[1].name: service name "mcp-beta-x-acme" of type beta-x for customer "acme" (id "acme", customers[1].mcp_servers[0]) is also the name of type beta for customer "x-acme"',
    ],
  },
  {
    name: "a service name over 63 characters",
    config: { customers: [{ name: "a".repeat(48), mcp_servers: [{ type: "alertmanager", config: { region: "x" } }] }] },
    types: { alertmanager: "beta" },
    expect: [
      `customers[0].name: the generated name "mcp-alertmanager-${"a".repeat(48)}" is 65 characters, more than the 63 a DNS label allows; set an explicit shorter "id" (at most 46 characters)`,
    ],
  },
  {
    name: "a container name over 63 characters in a named project",
    config: { project: "p".repeat(20), customers: [{ id: "c".repeat(40), name: "C", mcp_servers: [{ type: "beta", config: { region: "x" } }] }] },
    expect: [
      'customers[0].id: the generated name "pppppppppppppppppppp-mcp-beta-cccc',
      'set an explicit shorter "id" (at most 33 characters, or a shorter "project")',
    ],
  },
  {
    name: "two long names cut to the same id",
    config: { customers: [fixtureCustomer(`${"Long Customer Name ".repeat(3)}One`), fixtureCustomer(`${"Long Customer Name ".repeat(3)}Two`)] },
    expect: [
      'customers[1].name: customer id "long-customer-name-long-customer-name-long-custo" (derived from name) (a name\'s id is cut to 48 characters) clashes with customers[0]',
      'set an explicit, distinct "id"',
    ],
  },
  {
    name: "an unknown type that looks like a token is not echoed",
    config: withServer({ type: CANARY }),
    expect: ["customers[0].mcp_servers[0].type: unknown MCP type a 35-character value, not shown; known types: alpha, beta"],
  },
  {
    name: "an unknown customer on the command line is not echoed",
    config: good(),
    args: ["--customer", CANARY],
    expect: ['unknown customer a 35-character value, not shown (give an id or a name); known: "acme-corp"'],
  },
  {
    name: "an argument that is one customer's id and another's name",
    config: { customers: [fixtureCustomer("Acme", { id: "acme" }), fixtureCustomer("acme", { id: "bolt" })] },
    args: ["--customer", "acme"],
    expect: ['customer "acme" is ambiguous: it is the id of customer "Acme" and the name of customer "bolt"'],
  },
];

function assertClean(r: { stdout: string; stderr: string }): void {
  assert.doesNotMatch(r.stderr, /\n\s+at /, "no stack trace");
  assert.doesNotMatch(r.stderr, /unexpected error/);
  for (const canary of CANARIES) assert.ok(!`${r.stdout}${r.stderr}`.includes(canary), `canary ${canary} printed:\n${r.stderr}`);
}

function prepare(c: (typeof cases)[number], dir: string): string {
  for (const [name, from] of Object.entries(c.types ?? {})) cpSync(path.join(dir, "mcps", from), path.join(dir, "mcps", name), { recursive: true });
  const out = path.join(dir, "docker-compose.mcps.yml");
  writeFileSync(out, "# the previous output\n");
  return out;
}

function assertLines(c: (typeof cases)[number], lines: string[]): void {
  const shown = lines.join("\n");
  for (const want of c.expect)
    assert.ok(
      lines.some((l) => l.includes(want)),
      `missing ${JSON.stringify(want)} in:\n${shown}`,
    );
  const distinct = new Set(c.expect.map((w) => lines.findIndex((l) => l.includes(w))));
  assert.equal(lines.length, distinct.size, `one line per problem, got:\n${shown}`);
}

// Config rules in process (the generate command and the lines the CLI prints); command-line
// arguments, and one config case, through the whole CLI: exit 2, stdout and stderr clean.
const viaCli = new Set([...cases.filter((c) => c.args), cases.find((c) => !c.args && c.expect.length > 1)!]);

for (const c of cases.filter((x) => !x.args)) {
  test(`hostile config: ${c.name}`, async () => {
    const dir = workspace(c.config);
    try {
      const out = prepare(c, dir);
      const { lines } = await generateRefusal(dir);
      assertLines(c, lines);
      for (const l of lines) assert.match(l, /^mcp_servers\.json(?::\d+:\d+)?: /);
      assertClean({ stdout: "", stderr: lines.join("\n") });
      assert.equal(readFileSync(out, "utf8"), "# the previous output\n", "previous output untouched");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

for (const c of viaCli) {
  test(`hostile config through the CLI: ${c.name}`, async () => {
    const dir = workspace(c.config);
    try {
      const out = prepare(c, dir);
      const r = await runCli(["generate", ...(c.args ?? [])], { cwd: dir });
      assert.equal(r.code, 2, r.stderr);
      assertLines(c, r.stderr.trimEnd().split("\n"));
      assertClean(r);
      assert.equal(readFileSync(out, "utf8"), "# the previous output\n", "previous output untouched");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}
