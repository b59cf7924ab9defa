/**
 * The compose file is the memory of host ports. Missing is a first run and says nothing; a file that
 * is there but cannot be parsed is one warning line naming it (start, status, serve, clients export),
 * and then every service gets its derived port, as with no file.
 */
import assert from "node:assert/strict";
import { rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { startCommand } from "../../src/commands/start.js";
import { statusCommand } from "../../src/commands/status.js";
import { portMemory } from "../../src/compose/previous-ports.js";
import { parseServeOptions } from "../../src/serve/options.js";
import { runServe } from "../../src/serve/serve.js";
import { runCli } from "../support/cli.js";
import { FakeEngine } from "../support/fake-engine.js";
import { scriptedProbe } from "../support/reconcile-kit.js";
import { fixtureCustomer, workspace } from "../support/workspace.js";

const BROKEN = "services:\n  mcp-alpha-acme: {\n    ports: [\n";

test("portMemory: missing or empty is silent; unparsable or not compose says what is wrong", () => {
  assert.deepEqual(portMemory(undefined), { ports: new Map() });
  assert.deepEqual(portMemory(""), { ports: new Map() });
  assert.deepEqual(portMemory("# nothing yet\n"), { ports: new Map() });
  assert.deepEqual(portMemory("services: {}\n"), { ports: new Map() });
  const broken = portMemory(BROKEN);
  assert.equal(broken.ports.size, 0);
  assert.match(broken.problem ?? "", /^is not valid YAML \(.* at line \d+, column \d+\)$/);
  assert.equal(portMemory("- a\n- b\n").problem, "is not a compose file (no services: mapping)");
  assert.equal(portMemory("services: 3\n").problem, "is not a compose file (no services: mapping)");
  assert.equal(portMemory('services:\n  x:\n    ports:\n      - "127.0.0.1:20001:8000"\n').problem, undefined);
});

function brokenWorkspace() {
  const dir = workspace({ customers: [fixtureCustomer("Acme")] });
  const compose = path.join(dir, "docker-compose.mcps.yml");
  writeFileSync(compose, BROKEN);
  writeFileSync(path.join(dir, "mcp_credentials.env"), "ALPHA_TOKEN_ACME=x\n");
  const src = { config: path.join(dir, "mcp_servers.json"), catalog: path.join(dir, "mcps"), compose };
  return { dir, compose, src };
}

const warningFor = (compose: string) =>
  new RegExp(`^${compose.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}: is not valid YAML \\(.*\\); its host ports are not kept`);

test("start and status: one warning naming the file, and the derived ports, as with no file", async () => {
  const { dir, compose, src } = brokenWorkspace();
  try {
    const run = async (source: typeof src) => {
      const engine = new FakeEngine();
      engine.images.set("example.invalid/beta:1.0", "sha256:beta");
      const started = await startCommand(
        { ...source, customers: [], types: [], all: true, concurrency: 4, build: false, buildArgs: {}, heal: false },
        { engine, onProgress: () => undefined },
      );
      const ports = [...engine.containers.values()].map((c) => `${c.name}=${c.spec?.hostPort}`).sort();
      const { warnings } = await statusCommand({ ...source, customers: [], types: [], probe: false, concurrency: 4, timeoutMs: 1000 }, { engine });
      return { started, ports, warnings };
    };
    const broken = await run(src);
    assert.equal(broken.started.warnings.length, 1, broken.started.warnings.join("\n"));
    assert.match(broken.started.warnings[0]!, warningFor(compose));
    assert.ok(!broken.started.warnings[0]!.includes("\n"));
    assert.deepEqual(broken.warnings, broken.started.warnings);
    const none = await run({ ...src, compose: path.join(dir, "missing.yml") });
    assert.deepEqual(none.started.warnings, [], "a missing file is a first run, not a warning");
    assert.deepEqual(broken.ports, none.ports);
    assert.equal(broken.ports.length, 2);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("serve logs the warning at start", async () => {
  const { dir, compose, src } = brokenWorkspace();
  const logs: string[] = [];
  const engine = new FakeEngine();
  engine.images.set("example.invalid/beta:1.0", "sha256:beta");
  const handle = await runServe(src, parseServeOptions({ listen: "127.0.0.1:0", probeInterval: "10s" }, {}), {
    engine,
    probe: scriptedProbe(),
    log: (l) => logs.push(l),
  });
  try {
    const warned = logs.filter((l) => l.includes(compose));
    assert.equal(warned.length, 1, logs.join("\n"));
    assert.match(warned[0]!.replace(/^mcps: warning: /, ""), warningFor(compose));
  } finally {
    await handle.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test("clients export: the warning on stderr, the config on stdout, exit 0", async () => {
  const { dir } = brokenWorkspace();
  try {
    const r = await runCli(["clients", "export", "--for", "cursor"], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /docker-compose\.mcps\.yml: is not valid YAML \(.*\); its host ports are not kept/);
    assert.equal(
      r.stderr
        .trim()
        .split("\n")
        .filter((l) => l.includes("docker-compose.mcps.yml")).length,
      1,
    );
    assert.ok(JSON.parse(r.stdout).mcpServers);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
