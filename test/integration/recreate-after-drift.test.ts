/** Drills: hand edits (docker update) and a rebuild on another BASE_IMAGE make containers stale; start recreates them. */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { docker, requireEngine } from "../support/docker.js";
import { drill, parsed } from "../support/drill.js";

test("drill: docker update --memory/--restart is noticed and repaired; --build on another base recreates what ran on the old image", {
  timeout: 240_000,
}, async (t) => {
  if (!requireEngine(t)) return;
  const d = drill();
  const a = `da${d.tag}`;
  const b = `db${d.tag}`;
  const nameA = `${d.project}-mcp-tiny-${a}`;
  const nameB = `${d.project}-mcp-tiny-${b}`;
  const otherBase = `${d.project}-base:other`;
  const baseDir = mkdtempSync(path.join(os.tmpdir(), "mcps-base-"));
  try {
    d.writeConfig([{ id: a }, { id: b }]);
    assert.equal(d.run(["start", "--all", "--build-arg", `BASE_IMAGE=${d.base}`]).code, 0);

    docker(["update", "--memory", "96m", "--memory-swap", "96m", nameA]);
    docker(["update", "--restart", "no", nameB]);
    const repaired = d.run(["start", "--all", "--json"]);
    assert.equal(repaired.code, 0, repaired.stderr);
    assert.deepEqual(
      parsed(repaired).services.map((s) => [s.service, s.action, s.detail]),
      [
        [`mcp-tiny-${a}`, "recreated", "stale: memory 96 MiB, plan 64 MiB"],
        [`mcp-tiny-${b}`, "recreated", "stale: restart no, plan unless-stopped"],
      ],
    );
    assert.equal(
      docker(["inspect", "-f", "{{.HostConfig.Memory}} {{.HostConfig.RestartPolicy.Name}}", nameA]).trim(),
      `${64 * 1024 * 1024} unless-stopped`,
    );
    assert.equal(docker(["inspect", "-f", "{{.HostConfig.RestartPolicy.Name}}", nameB]).trim(), "unless-stopped");

    // --build with the same inputs builds, finds the same image ID, and recreates nothing.
    const same = d.run(["start", "--all", "--build", "--build-arg", `BASE_IMAGE=${d.base}`, "--json"]);
    assert.equal(same.code, 0, same.stderr);
    assert.match(same.stderr, /Built mcps\//);
    assert.deepEqual(
      parsed(same).services.map((s) => s.action),
      ["unchanged", "unchanged"],
      same.stdout,
    );

    // Another BASE_IMAGE: same tag, new image ID; both customers ran on the old one, both are recreated.
    writeFileSync(path.join(baseDir, "Dockerfile"), `FROM ${d.base}\nLABEL mcps-drill=${d.tag}\n`);
    docker(["build", "-q", "-t", otherBase, baseDir]);
    const oldImage = docker(["inspect", "-f", "{{.Image}}", nameA]).trim();
    const rebuilt = d.run(["start", a, "--build", "--build-arg", `BASE_IMAGE=${otherBase}`, "--json"]);
    assert.equal(rebuilt.code, 0, rebuilt.stderr);
    assert.match(parsed(rebuilt).services[0]!.detail!, /^stale: image mcps\/.+ was rebuilt or retagged$/);
    assert.notEqual(docker(["inspect", "-f", "{{.Image}}", nameA]).trim(), oldImage);
    // The other customer, not selected, still runs on the old image: the next start of it recreates it too.
    const other = parsed(d.run(["start", b, "--json"]));
    assert.equal(other.services[0]!.action, "recreated");
    assert.equal(docker(["inspect", "-f", "{{.Image}}", nameB]).trim(), docker(["inspect", "-f", "{{.Image}}", nameA]).trim());
  } finally {
    d.cleanup();
    docker(["rmi", "-f", otherBase], {});
    rmSync(baseDir, { recursive: true, force: true });
  }
});
