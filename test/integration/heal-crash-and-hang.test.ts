/** Drills: a crash-looping server fails fast with its exit code, restarts and logs; a hung server is healed by start. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { docker, requireEngine, waitHealthy } from "../support/docker.js";
import { drill, parsed } from "../support/drill.js";

test("drill: a server that exits 3 at once makes start --wait return within seconds, with exit code, restarts and log lines", {
  timeout: 180_000,
}, async (t) => {
  if (!requireEngine(t)) return;
  const d = drill("crash-drill-secret");
  const ok = `ok${d.tag}`;
  const bad = `bad${d.tag}`;
  try {
    d.writeConfig([{ id: ok }, { id: bad, config: { mode: "crash" } }]);
    const started = Date.now();
    const r = d.run(["start", "--all", "--wait", "--timeout", "30", "--json", "--build-arg", `BASE_IMAGE=${d.base}`]);
    const seconds = (Date.now() - started) / 1000;
    assert.equal(r.code, 1, r.stderr);
    assert.ok(seconds < 20, `returned after ${seconds.toFixed(1)} s, not the 30 s limit`);
    const out = parsed(r);
    assert.deepEqual(
      out.services.map((s) => [s.service, s.action]),
      [
        [`mcp-tiny-${bad}`, "failed"],
        [`mcp-tiny-${ok}`, "created"],
      ],
    );
    const reason = out.services[0]!.reason!;
    assert.match(reason, /^keeps restarting: exited with code 3, restarted \d+ times?; last \d+ log lines?:\n/);
    assert.match(reason, /tiny: fatal: upstream unreachable, giving up/);
    assert.ok(reason.split("\n").length <= 21, "at most 20 log lines");
    assert.ok(!r.stdout.includes("crash-drill-secret") && !r.stderr.includes("crash-drill-secret"));

    // Without --wait, a second start names the crash loop instead of calling it unchanged.
    const again = parsed(d.run(["start", bad, "--json"]));
    assert.equal(again.services[0]!.action, "failed");
    assert.match(again.services[0]!.reason!, /exited with code 3/);
  } finally {
    d.cleanup();
  }
});

test("drill: a hung server (SIGSTOP) is restarted by start and answers again; --no-heal leaves it", { timeout: 180_000 }, async (t) => {
  if (!requireEngine(t)) return;
  const d = drill();
  const id = `hung${d.tag}`;
  const name = `${d.project}-mcp-tiny-${id}`;
  try {
    d.writeConfig([{ id }]);
    assert.equal(d.run(["start", "--all", "--wait", "--timeout", "60", "--build-arg", `BASE_IMAGE=${d.base}`]).code, 0);
    // Docker has seen it serve (the probe judges only such servers; a "starting" one may just be slow).
    assert.deepEqual(await waitHealthy([name], 90_000), { [name]: "healthy" });
    // Freeze the container's init and the server process itself (with init, SIGSTOP to the container reaches only the init).
    docker(["kill", "-s", "STOP", name]);
    docker(["exec", name, "sh", "-c", "kill -STOP $(cat /tmp/tiny.pid)"]);

    const left = parsed(d.run(["start", "--all", "--no-heal", "--json"]));
    assert.equal(left.services[0]!.action, "unchanged");

    const healed = d.run(["start", "--all", "--wait", "--timeout", "60", "--json"]);
    assert.equal(healed.code, 0, healed.stderr);
    const s = parsed(healed).services[0]!;
    assert.equal(s.action, "restarted");
    assert.match(s.detail!, /^unhealthy: /);
    assert.equal(parsed(d.run(["start", "--all", "--json"])).services[0]!.action, "unchanged", "serves again");
  } finally {
    d.cleanup();
  }
});
