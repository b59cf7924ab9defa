/**
 * A run of main() leaves no process-wide state behind, so the command line can run inside another
 * program (and the unit tests): the in-process harness (test/support/in-process.ts) fails a call
 * that leaves a signal listener or an exit code. A SIGINT listener left behind would also keep
 * Ctrl-C from ending the program that ran the command.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { runCli } from "../support/cli.js";
import { fixtureCustomer, inWorkspace } from "../support/workspace.js";

const NO_ENGINE = { DOCKER_HOST: "unix:///nonexistent/docker.sock" };

test(
  "status --watch that cannot reach the engine: exit 3, one line, and its SIGINT listener is gone",
  inWorkspace({ customers: [fixtureCustomer("Acme")] }, async (dir) => {
    const before = process.listenerCount("SIGINT");
    const r = await runCli(["status", "--watch", "--interval", "1"], { cwd: dir, env: NO_ENGINE, timeoutMs: 30_000 });
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stderr, /^mcps: .*\/nonexistent\/docker\.sock/);
    assert.equal(process.listenerCount("SIGINT"), before);
  }),
);
