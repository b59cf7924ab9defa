/**
 * The command line in-process: main(argv, io) writes only through io, resolves to the exit code,
 * and never calls process.exit or touches the process's own streams.
 */
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { main } from "../../src/cli-main.js";
import { sinkStream } from "../support/in-process.js";
import { fixtureCustomer, inWorkspace } from "../support/workspace.js";

/**
 * Runs main with the process's exit and streams rigged: any use of them fails the test. Only text
 * counts: the test runner itself reports to its parent through process.stdout in binary frames.
 */
async function run(argv: string[]) {
  const out = sinkStream();
  const err = sinkStream();
  const touched: string[] = [];
  const { exit } = process;
  const writes = { out: process.stdout.write, err: process.stderr.write };
  process.exit = ((code?: number) => {
    touched.push(`process.exit(${code})`);
    throw new Error("process.exit called");
  }) as typeof process.exit;
  process.stdout.write = ((...args: Parameters<typeof process.stdout.write>) => {
    if (typeof args[0] === "string") touched.push(`process.stdout: ${args[0]}`);
    return writes.out.apply(process.stdout, args);
  }) as typeof process.stdout.write;
  process.stderr.write = ((...args: Parameters<typeof process.stderr.write>) => {
    if (typeof args[0] === "string") touched.push(`process.stderr: ${args[0]}`);
    return writes.err.apply(process.stderr, args);
  }) as typeof process.stderr.write;
  const exitCodeBefore = process.exitCode;
  try {
    const code = await main(argv, { stdout: out.stream, stderr: err.stream, env: {} });
    return { code, stdout: out.text(), stderr: err.text(), touched, exitCodeChanged: process.exitCode !== exitCodeBefore };
  } finally {
    process.exit = exit;
    process.stdout.write = writes.out;
    process.stderr.write = writes.err;
  }
}

const badConfig = { customers: [{ ...fixtureCustomer("Acme Corp"), mcp_servers: [{ type: "grafna", config: {} }] }] };

test(
  "main: a config problem is exit 2 and one line on io.stderr, nothing on stdout, nothing written",
  inWorkspace(badConfig, async (dir) => {
    const config = path.join(dir, "mcp_servers.json");
    const out = path.join(dir, "docker-compose.mcps.yml");
    const r = await run(["generate", "--config", config, "--catalog", path.join(dir, "mcps"), "--out", out]);
    assert.equal(r.code, 2);
    assert.equal(r.stdout, "");
    assert.equal(r.stderr, `${config}: customers[0].mcp_servers[0].type: unknown MCP type "grafna"; known types: alpha, beta\n`);
    assert.deepEqual(r.touched, []);
    assert.equal(r.exitCodeChanged, false);
    assert.equal(existsSync(out), false);
  }),
);

test("main: a mistyped command is exit 2 with commander's error as one mcps line, through io only", async () => {
  const r = await run(["generat"]);
  assert.equal(r.code, 2);
  assert.equal(r.stdout, "");
  assert.equal(r.stderr, "mcps: unknown command 'generat' (did you mean generate?)\n");
  assert.deepEqual(r.touched, []);
});

test("main: --help and --version are exit 0 on io.stdout", async () => {
  const help = await run(["--help"]);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /^Usage: mcps /);
  assert.deepEqual(help.touched, []);
  const version = await run(["--version"]);
  assert.deepEqual([version.code, version.stdout, version.touched], [0, "0.1.0\n", []]);
});

test(
  "main: a generated file is written and said on io.stdout, exit 0; --check of a stale file is exit 1",
  inWorkspace({ customers: [fixtureCustomer("Acme Corp")] }, async (dir) => {
    const args = ["--config", path.join(dir, "mcp_servers.json"), "--catalog", path.join(dir, "mcps"), "--out", path.join(dir, "out.yml")];
    const check = await run(["generate", "--check", ...args]);
    assert.equal(check.code, 1);
    assert.match(check.stdout, /out\.yml is stale; run `mcps generate --out out\.yml`:\n {2}the file does not exist\n$/);
    const written = await run(["generate", ...args]);
    assert.equal(written.code, 0);
    assert.match(written.stdout, /^Wrote .*out\.yml \(2 services for 1 customer\)\n$/);
    assert.equal((await run(["generate", "--check", ...args])).code, 0);
    assert.deepEqual(written.touched, []);
  }),
);

test("the compose file a command reads is --compose everywhere (start, status, logs, serve, clients export); --out stays only as a hidden older spelling", async () => {
  for (const command of [["start"], ["status"], ["logs"], ["serve"], ["clients", "export"]]) {
    const help = await run([...command, "--help"]);
    assert.equal(help.code, 0, command.join(" "));
    assert.match(help.stdout, /--compose <file>/, `${command.join(" ")} --help`);
    if (command[0] !== "clients") assert.doesNotMatch(help.stdout, /--out\b/, `${command.join(" ")}: --out is hidden`);
  }
  const generate = await run(["generate", "--help"]);
  assert.match(generate.stdout, /-o, --out <file>/, "generate writes --out");
  assert.doesNotMatch(generate.stdout, /--compose\b/);
  // Both spellings reach the same file: a compose file that is no compose document warns, naming it, either way.
  await inWorkspace({ customers: [fixtureCustomer("Acme")] }, async (dir) => {
    const bad = path.join(dir, "not-compose.yml");
    (await import("node:fs")).writeFileSync(bad, "just text\n");
    const base = ["clients", "export", "--for", "vscode", "--config", path.join(dir, "mcp_servers.json"), "--catalog", path.join(dir, "mcps")];
    const viaCompose = await run([...base, "--compose", bad]);
    assert.match(viaCompose.stderr, /not-compose\.yml/);
  })();
  const { composeFile } = await import("../../src/cli-support.js");
  assert.equal(composeFile({ compose: "docker-compose.mcps.yml", out: "old.yml" }), "old.yml", "an explicit --out still names the file");
  assert.equal(composeFile({ compose: "new.yml" }), "new.yml");
});
