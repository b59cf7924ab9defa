/**
 * The bin itself (dist/cli.js): main()'s exit code becomes the process's, and its output goes to
 * the process's own streams. Everything else about the command line runs in-process.
 */
import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { test } from "node:test";
import { runCliProcess } from "../support/cli.js";
import { fixtureCustomer, workspace } from "../support/workspace.js";

test("dist/cli.js: --version is exit 0 on stdout; a mistyped command is exit 2 on stderr", () => {
  assert.deepEqual(runCliProcess(["--version"]), { code: 0, stdout: "0.1.0\n", stderr: "" });
  assert.deepEqual(runCliProcess(["generat"]), { code: 2, stdout: "", stderr: "mcps: unknown command 'generat' (did you mean generate?)\n" });
});

test("dist/cli.js: a stale --check is exit 1, a missing engine exit 3, each with its line", () => {
  const dir = workspace({ customers: [fixtureCustomer("Acme")] });
  try {
    const check = runCliProcess(["generate", "--check"], { cwd: dir });
    assert.equal(check.code, 1, check.stderr);
    assert.match(check.stdout, /^docker-compose\.mcps\.yml is stale; run `mcps generate`:\n/);
    const status = runCliProcess(["status"], { cwd: dir, env: { DOCKER_HOST: "unix:///nonexistent/docker.sock" } });
    assert.equal(status.code, 3, status.stderr);
    assert.match(status.stderr, /^mcps: .*\/nonexistent\/docker\.sock/m);
    assert.doesNotMatch(status.stderr, /^\s+at /m);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
