/**
 * Two projects on the real engine with the same customer ids and no port range of their own both
 * run (a non-default project's ports derive from the project too). A third project whose pin takes
 * a port the first one holds, or a port a real socket listens on, stops before any container or
 * network is made, with one line naming the port, the service and the holder, and exit 2.
 */
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";
import { test } from "node:test";
import { docker, requireEngine } from "../support/docker.js";
import { drill, parsed } from "../support/drill.js";

const hostPortOf = (container: string) => Number(/:(\d+)\s*$/m.exec(docker(["port", container, "8000/tcp"]))?.[1]);

test("two projects with the same customers and no port range run side by side; a held port stops a third before it creates anything", {
  timeout: 300_000,
}, async (t) => {
  if (!requireEngine(t)) return;
  const one = drill();
  const two = drill();
  const three = drill();
  const listener = createServer((c) => c.destroy());
  try {
    const id = `side${one.tag}`;
    const start = ["start", "--all", "--wait", "--timeout", "60", "--json", "--build-arg", `BASE_IMAGE=${one.base}`];
    one.writeConfig([{ id }]);
    two.writeConfig([{ id }]);
    const r1 = one.run(start);
    assert.equal(r1.code, 0, r1.stderr);
    const r2 = two.run(start);
    assert.equal(r2.code, 0, r2.stderr);
    assert.deepEqual(
      parsed(r2).services.map((s) => s.action),
      ["created"],
    );
    const held = hostPortOf(`${one.project}-mcp-tiny-${id}`);
    assert.ok(held > 0);
    assert.notEqual(hostPortOf(`${two.project}-mcp-tiny-${id}`), held);
    // Its own container's port is no conflict: a second start and a forced recreate go ahead.
    assert.deepEqual(
      parsed(one.run(["start", "--all", "--json"])).services.map((s) => s.action),
      ["unchanged"],
    );
    const recreated = one.run(["start", "--all", "--json", "--force-recreate"]);
    assert.equal(recreated.code, 0, recreated.stderr);

    // A pin on the port project one's container holds: refused before anything is made.
    const pinTo = (port: number) =>
      writeFileSync(
        path.join(three.dir, "mcp_servers.json"),
        JSON.stringify({
          project: three.project,
          customers: [{ id, name: id, mcp_servers: [{ type: "tiny", port, config: { token_env: "DRILL_TOKEN" } }] }],
        }),
      );
    pinTo(held);
    const refused = three.run(["start", "--all", "--build-arg", `BASE_IMAGE=${three.base}`]);
    assert.equal(refused.code, 2, refused.stderr);
    const lines = refused.stderr.trim().split("\n");
    assert.deepEqual(lines, [
      `mcps: host port ${held} for mcp-tiny-${id} is held by container ${one.project}-mcp-tiny-${id} of mcps project "${one.project}"; pin another port (mcp_servers[].port) or set defaults.port_range; no container was touched`,
    ]);
    assert.deepEqual(three.containers(), []);
    assert.deepEqual(three.networks(), []);

    // A port a process on this machine listens on.
    await new Promise<void>((r) => listener.listen(0, "127.0.0.1", r));
    const port = (listener.address() as { port: number }).port;
    pinTo(port);
    const taken = three.run(["start", "--all", "--build-arg", `BASE_IMAGE=${three.base}`]);
    assert.equal(taken.code, 2, taken.stderr);
    assert.match(
      taken.stderr,
      new RegExp(
        `^mcps: host port ${port} for mcp-tiny-${id} is held by a process on this machine \\(something accepts connections on 127\\.0\\.0\\.1:${port}\\);`,
      ),
    );
    assert.deepEqual(three.containers(), []);
  } finally {
    listener.close();
    one.cleanup();
    two.cleanup();
    three.cleanup();
  }
});
