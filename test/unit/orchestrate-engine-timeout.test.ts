/** An engine socket that accepts but never answers: every call ends in EngineUnreachableError (exit 3), never a hang. */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server, type Socket } from "node:net";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { DockerEngine } from "../../src/engine/docker-engine.js";
import { EngineTimeoutError, EngineUnreachableError } from "../../src/errors.js";
import { runCli } from "../support/cli.js";
import { workspace, fixtureCustomer } from "../support/workspace.js";

async function silentSocket(): Promise<{ socket: string; close: () => Promise<void>; accepted: () => number }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "mcps-silent-"));
  const socket = path.join(dir, "docker.sock");
  const held: Socket[] = [];
  const server: Server = createServer((c) => void held.push(c)); // accept, read nothing, answer nothing
  await new Promise<void>((r) => server.listen(socket, r));
  return {
    socket,
    accepted: () => held.length,
    close: async () => {
      for (const c of held) c.destroy();
      await new Promise((r) => server.close(r));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

test("every bounded engine call times out with EngineUnreachableError naming the socket", async () => {
  const silent = await silentSocket();
  const saved = process.env.DOCKER_HOST;
  process.env.DOCKER_HOST = `unix://${silent.socket}`;
  try {
    const engine = new DockerEngine({ timeoutMs: 300 });
    const calls: Array<[string, () => Promise<unknown>]> = [
      ["ping", () => engine.ping()],
      ["list", () => engine.list({ "mcps.project": "x" })],
      ["inspect", () => engine.inspect("abc")],
      ["imageId", () => engine.imageId("mcps/x:1")],
      ["listNetworks", () => engine.listNetworks({})],
      ["stop", () => engine.stop("abc", 0)],
    ];
    for (const [what, call] of calls) {
      const started = performance.now();
      await assert.rejects(call(), (e: unknown) => {
        assert.ok(e instanceof EngineUnreachableError, `${what}: ${String(e)}`);
        assert.ok(e instanceof EngineTimeoutError, `${what}: a time-out is told apart from a refused connection`);
        assert.match(e.message, new RegExp(`^the Docker engine at unix://${silent.socket} \\(DOCKER_HOST\\) did not answer within 300 ms`));
        return true;
      });
      assert.ok(performance.now() - started < 3000, `${what} bounded`);
    }
    assert.ok(silent.accepted() >= calls.length, "the engine was really asked");
  } finally {
    if (saved === undefined) delete process.env.DOCKER_HOST;
    else process.env.DOCKER_HOST = saved;
    await silent.close();
  }
});

test("mcps start against a silent engine exits 3 with one line saying where it looked", async () => {
  const silent = await silentSocket();
  const dir = workspace({ customers: [fixtureCustomer("Acme")] });
  try {
    const r = await runCli(["start", "--all"], { cwd: dir, env: { DOCKER_HOST: `unix://${silent.socket}`, MCPS_ENGINE_TIMEOUT: "1" } });
    assert.equal(r.code, 3, r.stderr);
    assert.equal(r.stderr, `mcps: the Docker engine at unix://${silent.socket} (DOCKER_HOST) did not answer within 1 s (ping)\n`);
  } finally {
    await silent.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
