/** docker-compose.dev.yml is its own project: it runs beside the fleet mcps start manages. */
import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { test } from "node:test";
import { parse } from "yaml";
import { runCli } from "../support/cli.js";
import { fixtureCustomer, workspace } from "../support/workspace.js";

test("--dev is project <project>-dev: its own container names, project label, networks, images and host ports", async () => {
  const dir = workspace({ customers: [fixtureCustomer("Acme")] });
  try {
    const fleet = parse((await runCli(["generate", "--out", "-"], { cwd: dir })).stdout);
    const dev = parse((await runCli(["generate", "--dev", "--out", "-"], { cwd: dir })).stdout);
    const facts = (doc: { services: Record<string, Record<string, unknown>>; networks: Record<string, { name: string }> }) =>
      Object.entries(doc.services).map(([name, s]) => ({
        name,
        container: s.container_name as string,
        project: (s.labels as Record<string, string>)["mcps.project"],
        image: s.image as string,
        port: (s.ports as string[])[0]!.split(":")[1],
        network: Object.values(doc.networks)[0]!.name,
      }));
    const [a, b] = [facts(fleet), facts(dev)];
    assert.deepEqual(
      b.map((x) => x.name),
      a.map((x) => x.name),
      "the same services",
    );
    for (const [i, d] of b.entries()) {
      const f = a[i]!;
      assert.equal(d.project, `${f.project}-dev`);
      assert.equal(d.container, `mcps-dev-${d.name}`);
      assert.notEqual(d.container, f.container);
      if (f.image.startsWith("mcps/")) assert.notEqual(d.image, f.image, "a built image is the project's own");
      assert.notEqual(d.port, f.port, "both stacks can run at once");
      assert.notEqual(d.network, f.network);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
