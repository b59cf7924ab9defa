/**
 * The harness that runs the CLI in the test's process (test/support/in-process.ts, cli.ts): each
 * call sees exactly its cwd and environment and leaves the process's own as they were, calls never
 * overlap, and a call that hangs or leaves process-wide state behind fails instead of passing.
 */
import assert from "node:assert/strict";
import { mkdtempSync, realpathSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { runCli } from "../support/cli.js";
import { InProcessTimeout, serialized, withProcessState } from "../support/in-process.js";

const scope = (dir: string, env: NodeJS.ProcessEnv = {}) => ({ cwd: dir, env, timeoutMs: 5_000, what: "probe" });

test("a call sees exactly its cwd and environment; the process's own come back, after a throw too", async () => {
  const dir = realpathSync(mkdtempSync(path.join(os.tmpdir(), "mcps-harness-")));
  const cwd = process.cwd();
  const env = { ...process.env };
  try {
    const seen = await withProcessState(scope(dir, { ONLY: "this" }), async () => ({ cwd: process.cwd(), env: { ...process.env } }));
    assert.deepEqual(seen, { cwd: dir, env: { ONLY: "this" } });
    await assert.rejects(
      withProcessState(scope(dir), async () => {
        throw new Error("boom");
      }),
      /boom/,
    );
    assert.equal(process.cwd(), cwd);
    assert.deepEqual({ ...process.env }, env);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a call that leaves a signal listener or an exit code behind fails, and the state is put back", async () => {
  const listener = () => undefined;
  await assert.rejects(
    withProcessState(scope(os.tmpdir()), async () => void process.once("SIGINT", listener)),
    /left a signal listener/,
  );
  process.removeListener("SIGINT", listener);
  await assert.rejects(
    withProcessState(scope(os.tmpdir()), async () => {
      process.exitCode = 3;
    }),
    /set process\.exitCode to 3/,
  );
  assert.equal(process.exitCode, undefined);
});

test("a call that does not settle in time rejects with InProcessTimeout", async () => {
  await assert.rejects(
    withProcessState({ ...scope(os.tmpdir()), timeoutMs: 50 }, () => new Promise(() => undefined)),
    (e: unknown) => e instanceof InProcessTimeout,
  );
});

test("queued calls run one at a time, in order, a failure not stopping the next", async () => {
  const log: string[] = [];
  const step = (name: string, fail = false) =>
    serialized(async () => {
      log.push(`${name} start`);
      await new Promise((r) => setImmediate(r));
      log.push(`${name} end`);
      if (fail) throw new Error(name);
    });
  const results = await Promise.allSettled([step("a"), step("b", true), step("c")]);
  assert.deepEqual(log, ["a start", "a end", "b start", "b end", "c start", "c end"]);
  assert.deepEqual(
    results.map((r) => r.status),
    ["fulfilled", "rejected", "fulfilled"],
  );
});

test("runCli: the overlay reaches the CLI and the test's own environment is untouched", async () => {
  const before = process.env.DOCKER_HOST;
  process.env.DOCKER_HOST = "unix:///nonexistent/overlaid-away.sock";
  try {
    const r = await runCli(["status"], { env: { DOCKER_HOST: "unix:///nonexistent/harness.sock" } });
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stderr, /\/nonexistent\/harness\.sock/);
    assert.equal(process.env.DOCKER_HOST, "unix:///nonexistent/overlaid-away.sock");
  } finally {
    if (before === undefined) delete process.env.DOCKER_HOST;
    else process.env.DOCKER_HOST = before;
  }
});
