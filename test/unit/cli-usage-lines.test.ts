/**
 * What a new user's command-line mistakes get: one `mcps: ...` line and exit 2, before the engine is
 * asked anything (DOCKER_HOST points nowhere here, which would be exit 3).
 */
import assert from "node:assert/strict";
import { rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { runCli } from "../support/cli.js";
import { fixtureCustomer, workspace } from "../support/workspace.js";

const NO_ENGINE = { DOCKER_HOST: "unix:///nonexistent/docker.sock" };

async function inWorkspace(fn: (dir: string) => Promise<void>, config: unknown = { customers: [fixtureCustomer("Acme")] }) {
  const dir = workspace(config);
  try {
    await fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const oneLine = (stderr: string) => {
  const lines = stderr.trim().split("\n");
  assert.equal(lines.length, 1, `one line, got:\n${stderr}`);
  return lines[0]!;
};

test("a mistyped command is one line with the suggestion in it", async () => {
  const r = await runCli(["generat"]);
  assert.equal(r.code, 2);
  assert.equal(oneLine(r.stderr), "mcps: unknown command 'generat' (did you mean generate?)");
});

test("a mistyped option is one line, with the suggestion when there is one", async () => {
  const typo = await runCli(["generate", "--chek"]);
  assert.equal(typo.code, 2);
  assert.equal(oneLine(typo.stderr), "mcps: unknown option '--chek' (did you mean --check?)");
  const unknown = await runCli(["status", "--bogus"]);
  assert.equal(unknown.code, 2);
  assert.equal(oneLine(unknown.stderr), "mcps: unknown option '--bogus' (mcps --help shows the usage)");
});

test("--env-file, which Node 20 itself reads, points to --credentials", () =>
  inWorkspace(async (dir) => {
    // Node takes --env-file wherever it stands; with an existing file it lets mcps run, and mcps says what to use.
    writeFileSync(path.join(dir, "empty.env"), "");
    const r = await runCli(["start", "acme", "--env-file", "empty.env"], { cwd: dir, env: NO_ENGINE });
    assert.equal(r.code, 2);
    assert.equal(oneLine(r.stderr), "mcps: unknown option '--env-file' (it is --credentials: Node itself reads --env-file)");
  }));

test("a credentials file that was named but is missing is bad input, before the engine", () =>
  inWorkspace(async (dir) => {
    const r = await runCli(["start", "acme", "--credentials", "nope.env"], { cwd: dir, env: NO_ENGINE });
    assert.equal(r.code, 2, r.stderr);
    assert.equal(oneLine(r.stderr), "nope.env: not found (the credentials file named by --credentials)");
  }));

test("defaults.env_file naming a missing file is bad input too", () =>
  inWorkspace(
    async (dir) => {
      const r = await runCli(["start", "acme"], { cwd: dir, env: NO_ENGINE });
      assert.equal(r.code, 2, r.stderr);
      assert.match(oneLine(r.stderr), /nope\.env: not found \(the credentials file named by defaults\.env_file in mcp_servers\.json\)$/);
    },
    { defaults: { env_file: "nope.env" }, customers: [fixtureCustomer("Acme")] },
  ));

test("status --interval without --watch is an error, not silently ignored", async () => {
  const r = await runCli(["status", "--interval", "5"], { env: NO_ENGINE });
  assert.equal(r.code, 2);
  assert.equal(oneLine(r.stderr), "mcps: --interval applies only with --watch");
});
