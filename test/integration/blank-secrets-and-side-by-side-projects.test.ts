/** Drills: containers made by docker-compose without the credentials are misconfigured until they are set; two projects side by side. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { compose, docker, requireEngine } from "../support/docker.js";
import { drill, parsed } from "../support/drill.js";

test("drill: blank secrets from `docker-compose up` without --env-file are misconfigured, then recreated once set", {
  timeout: 240_000,
}, async (t) => {
  if (!requireEngine(t)) return;
  const d = drill();
  const id = `sec${d.tag}`;
  const name = `${d.project}-mcp-tiny-${id}`;
  try {
    d.writeConfig([{ id }]);
    // mcps builds the image (compose would build on the public base); then compose makes the container, with no credentials.
    assert.equal(d.run(["start", "--all", "--build-arg", `BASE_IMAGE=${d.base}`]).code, 0);
    docker(["rm", "-f", name]);
    assert.equal(d.run(["generate"]).code, 0);
    const up = compose(["-p", d.project, "-f", "docker-compose.mcps.yml", "--profile", id, "up", "-d", "--no-build"], {
      cwd: d.dir,
      env: { DRILL_TOKEN: "" },
    });
    assert.equal(up.code, 0, up.out);
    assert.equal(
      docker(["inspect", "-f", "{{range .Config.Env}}{{println .}}{{end}}", name]).split("\n").includes("TINY_TOKEN="),
      true,
      "blank in the container",
    );

    const blank = d.run(["start", "--all", "--json"], { DRILL_TOKEN: "" });
    assert.equal(blank.code, 1);
    const s = parsed(blank).services[0]!;
    assert.equal(s.action, "misconfigured");
    assert.match(s.reason!, /^TINY_TOKEN is blank in the container: missing variable DRILL_TOKEN/);

    const set = d.run(["start", "--all", "--json"], { DRILL_TOKEN: "now-set-value" });
    assert.equal(set.code, 0, set.stderr);
    assert.deepEqual(
      parsed(set).services.map((x) => [x.action, x.detail]),
      [["recreated", "misconfigured: TINY_TOKEN was blank"]],
    );
    assert.ok(!set.stdout.includes("now-set-value") && !set.stderr.includes("now-set-value"));
  } finally {
    d.cleanup();
  }
});

test("drill: two projects with the same customer ids run side by side; neither touches the other", { timeout: 240_000 }, async (t) => {
  if (!requireEngine(t)) return;
  const one = drill();
  const two = drill();
  const ids = [`p${one.tag}`, `q${one.tag}`];
  try {
    one.writeConfig(ids.map((id) => ({ id })));
    // Host ports derive from service names, which are the same in both: the second project takes another range.
    two.writeConfig(
      ids.map((id) => ({ id })),
      { defaults: { port_range: { from: 30000, to: 30999 } } },
    );
    const [r1, r2] = await Promise.all([
      one.runAsync(["start", "--all", "--wait", "--timeout", "60", "--build-arg", `BASE_IMAGE=${one.base}`]),
      two.runAsync(["start", "--all", "--wait", "--timeout", "60", "--build-arg", `BASE_IMAGE=${two.base}`]),
    ]);
    assert.equal(r1.code, 0, r1.stderr);
    assert.equal(r2.code, 0, r2.stderr);
    assert.deepEqual(one.containers(), ids.map((id) => `${one.project}-mcp-tiny-${id}`).sort());
    assert.deepEqual(two.containers(), ids.map((id) => `${two.project}-mcp-tiny-${id}`).sort());
    assert.deepEqual(one.networks(), ids.map((id) => `${one.project}-${id}`).sort());
    for (const d of [one, two]) {
      const again = parsed(d.run(["start", "--all", "--json"]));
      assert.deepEqual(
        again.services.map((s) => s.action),
        ["unchanged", "unchanged"],
      );
    }
    assert.equal(one.run(["stop", "--all"]).code, 0);
    assert.deepEqual(
      parsed(two.run(["start", "--all", "--json"])).services.map((s) => s.action),
      ["unchanged", "unchanged"],
      "stopping one project left the other running",
    );
  } finally {
    one.cleanup();
    two.cleanup();
  }
});
