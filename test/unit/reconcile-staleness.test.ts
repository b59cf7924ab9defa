/** When is a container stale: the config hash, the image ID behind the tag, every setting read back; blank secrets. */
import assert from "node:assert/strict";
import { test } from "node:test";
import type { ContainerSpec } from "../../src/engine/container-engine.js";
import { isFailure } from "../../src/orchestrate/outcome.js";
import { startServices } from "../../src/orchestrate/start.js";
import { FakeClock, engineWithImages, options, secrets, twoCustomers } from "../support/reconcile-kit.js";

async function running() {
  const engine = engineWithImages();
  const plan = await twoCustomers();
  const clock = new FakeClock();
  const first = await startServices(engine, plan, plan.services, secrets, options(clock));
  assert.ok(first.every((o) => o.action === "created"));
  engine.calls = [];
  return { engine, plan, clock, again: (extra = {}) => startServices(engine, plan, plan.services, secrets, options(clock, extra)) };
}

/** A hand edit of one container's settings, as `docker update` (or a network swap) would leave it. */
const drifts: Array<[string, (s: ContainerSpec) => void, RegExp]> = [
  ["cpus", (s) => (s.cpus = 2), /^stale: cpus 2, plan 0\.5$/],
  ["memory", (s) => (s.memoryBytes = 512 * 1024 * 1024), /^stale: memory 512 MiB, plan 256 MiB$/],
  ["pids", (s) => (s.pids = 4096), /^stale: pids 4096, plan 128$/],
  ["restart", (s) => (s.restart = "no"), /^stale: restart no, plan unless-stopped$/],
  ["ports", (s) => (s.hostPort += 1), /^stale: ports 127\.0\.0\.1:\d+->8000\/tcp, plan 127\.0\.0\.1:\d+->8000\/tcp$/],
  ["networks", (s) => (s.networkId = "some-other-network"), /^stale: networks some-other-network, plan mcps-acme$/],
  ["init", (s) => (s.init = false), /^stale: init false, plan true$/],
  ["cap_drop", (s) => (s.capDrop = []), /^stale: cap_drop none, plan ALL$/],
  ["security_opt", (s) => (s.securityOpt = []), /^stale: security_opt none, plan no-new-privileges:true$/],
  [
    "logging",
    (s) => (s.logging = { driver: "json-file", options: {} }),
    /^stale: logging json-file, plan json-file \{"max-file":"3","max-size":"10m"\}$/,
  ],
];

for (const [field, edit, detail] of drifts) {
  test(`a hand edit of ${field} makes the container stale; start recreates only that one`, async () => {
    const { engine, again } = await running();
    edit(engine.byName("mcp-alpha-acme")!.spec!);
    const out = await again();
    const alpha = out.find((o) => o.service === "mcp-alpha-acme")!;
    assert.equal(alpha.action, "recreated");
    assert.match(alpha.detail!, detail);
    assert.deepEqual(
      out.filter((o) => o !== alpha).map((o) => o.action),
      ["unchanged", "unchanged", "unchanged"],
    );
    assert.equal((await again()).filter((o) => o.action !== "unchanged").length, 0, "current after the recreate");
  });
}

test("a changed config hash label is stale", async () => {
  const { engine, again } = await running();
  engine.byName("mcp-beta-bolt")!.labels["mcps.config-hash"] = "old";
  const out = await again();
  assert.deepEqual(
    out.filter((o) => o.action === "recreated").map((o) => [o.service, o.detail]),
    [["mcp-beta-bolt", "stale: config changed"]],
  );
});

test("an image tag that now points to another image ID is stale (a rebuild, another BASE_IMAGE)", async () => {
  const { engine, again } = await running();
  engine.images.set("example.invalid/beta:1.0", "sha256:beta-v2");
  const out = await again();
  assert.deepEqual(
    out.filter((o) => o.action === "recreated").map((o) => [o.service, o.detail]),
    [
      ["mcp-beta-acme", "stale: image example.invalid/beta:1.0 was rebuilt or retagged"],
      ["mcp-beta-bolt", "stale: image example.invalid/beta:1.0 was rebuilt or retagged"],
    ],
  );
});

test("--build builds each image once with the build args, and recreates what ran on the old image ID", async () => {
  const { engine, plan, again } = await running();
  const out = await again({ rebuild: true, buildArgs: { BASE_IMAGE: "other-base:1" } });
  const alphaImage = plan.services.find((s) => s.type === "alpha")!.image;
  assert.deepEqual(
    engine.calls.filter((c) => c.startsWith("build")),
    [`build ${alphaImage} BASE_IMAGE=other-base:1`],
    "beta is prebuilt: never built",
  );
  assert.deepEqual(
    out.map((o) => [o.service, o.action]),
    [
      ["mcp-alpha-acme", "recreated"],
      ["mcp-alpha-bolt", "recreated"],
      ["mcp-beta-acme", "unchanged"],
      ["mcp-beta-bolt", "unchanged"],
    ],
  );
});

test("a blank secret in the container is misconfigured until its variable is set, then recreated", async () => {
  const { engine, plan, clock } = await running();
  // As docker-compose up without --env-file leaves it: same labels and hash, an empty value.
  engine.byName("mcp-alpha-acme")!.spec!.env.ALPHA_TOKEN = "";
  const unset = await startServices(engine, plan, plan.services, () => undefined, options(clock));
  const alpha = unset.find((o) => o.service === "mcp-alpha-acme")!;
  assert.equal(alpha.action, "misconfigured");
  assert.equal(
    alpha.reason,
    "ALPHA_TOKEN is blank in the container: missing variable ALPHA_TOKEN_ACME (set in the environment or the credentials file); start recreates it once set",
  );
  assert.ok(isFailure(alpha));
  assert.ok(!engine.calls.some((c) => c.includes("mcp-alpha-acme")), "left as it is");
  const set = await startServices(engine, plan, plan.services, secrets, options(clock));
  const { reason: _reason, ...rest } = alpha;
  assert.deepEqual(
    set.find((o) => o.service === "mcp-alpha-acme"),
    { ...rest, action: "recreated", detail: "misconfigured: ALPHA_TOKEN was blank" },
  );
  assert.equal(engine.byName("mcp-alpha-acme")!.spec!.env.ALPHA_TOKEN, "sekret-value");
});

test("stale but its secret is missing: failed, and the running container is left as it is", async () => {
  const { engine, plan, clock } = await running();
  engine.byName("mcp-alpha-bolt")!.spec!.memoryBytes = 1;
  const out = await startServices(engine, plan, plan.services, () => undefined, options(clock));
  const alpha = out.find((o) => o.service === "mcp-alpha-bolt")!;
  assert.equal(alpha.action, "failed");
  assert.match(alpha.reason!, /^stale \(memory 1 bytes, plan 256 MiB\) but cannot be recreated: missing variable ALPHA_TOKEN_BOLT .*left as it is$/);
  assert.equal(engine.byName("mcp-alpha-bolt")!.state, "running");
  assert.equal(out.find((o) => o.service === "mcp-alpha-acme")!.action, "unchanged", "a current container needs no secret");
});
