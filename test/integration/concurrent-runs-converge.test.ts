/** Drill: concurrent starts, concurrent recreates, a recreate racing a stop, and a leftover replacement. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { docker, requireEngine } from "../support/docker.js";
import { drill, parsed } from "../support/drill.js";

test("drill: three starts at once all exit 0 and converge; so do two recreates and a recreate racing a stop", { timeout: 300_000 }, async (t) => {
  if (!requireEngine(t)) return;
  const d = drill();
  const ids = ["a", "b", "c"].map((x) => `${x}${d.tag}`);
  const names = ids.map((id) => `${d.project}-mcp-tiny-${id}`).sort();
  try {
    d.writeConfig(ids.map((id) => ({ id })));
    // Build once first: three builds of one tag at once would only measure the builder.
    assert.equal(d.run(["start", ids[0]!, "--build-arg", `BASE_IMAGE=${d.base}`]).code, 0);
    docker(["rm", "-f", names[0]!]);

    const three = await Promise.all([1, 2, 3].map(() => d.runAsync(["start", "--all", "--json"])));
    for (const r of three) assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(d.containers(), names);
    assert.deepEqual(d.networks(), ids.map((id) => `${d.project}-${id}`).sort());
    const created = three.flatMap((r) =>
      parsed(r)
        .services.filter((s) => s.action === "created")
        .map((s) => s.service),
    );
    assert.deepEqual(created.sort(), ids.map((id) => `mcp-tiny-${id}`).sort(), "each created by exactly one run");

    // A config change makes all three stale; two runs recreate at once.
    d.writeConfig(
      ids.map((id) => ({ id })),
      { defaults: { resources: { memory: "96m" } } },
    );
    const two = await Promise.all([1, 2].map(() => d.runAsync(["start", "--all", "--json"])));
    for (const r of two) assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(d.containers(), names, "no duplicates, no leftover replacements");
    for (const n of names) assert.equal(docker(["inspect", "-f", "{{.HostConfig.Memory}}", n]).trim(), String(96 * 1024 * 1024));

    // A recreate racing a stop: both exit 0, and the next start converges.
    d.writeConfig(ids.map((id) => ({ id })));
    const [started, stopped] = await Promise.all([d.runAsync(["start", "--all"]), d.runAsync(["stop", "--all"])]);
    assert.equal(started.code, 0, started.stderr);
    assert.equal(stopped.code, 0, stopped.stderr);
    const after = d.run(["start", "--all", "--wait", "--timeout", "60", "--json"]);
    assert.equal(after.code, 0, after.stderr);
    assert.deepEqual(d.containers(), names);

    // Ctrl-C mid-recreate leaves `<name>-mcps-next`: the next start removes it and converges.
    const leftover = `${names[1]}-mcps-next`;
    const image = docker(["inspect", "-f", "{{.Config.Image}}", names[1]!]).trim();
    docker(["create", "--name", leftover, "--label", `mcps.project=${d.project}`, "--label", "mcps.created-by=gone-host/1", image]);
    const healed = d.run(["start", "--all", "--json"]);
    assert.equal(healed.code, 0, healed.stderr);
    assert.deepEqual(d.containers(), names);
  } finally {
    d.cleanup();
  }
});
