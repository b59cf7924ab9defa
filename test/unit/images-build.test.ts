/** Builds show their steps, and a build that cannot reach its base image's registry says what to do. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { imageResolver } from "../../src/orchestrate/images.js";
import { FakeEngine } from "../support/fake-engine.js";
import { twoCustomers } from "../support/reconcile-kit.js";

const built = async () => (await twoCustomers()).services.find((s) => s.build)!;

test("a build reports each Dockerfile step on the progress stream, between Building and Built", async () => {
  const engine = new FakeEngine();
  engine.buildSteps = ["Step 1/3 : ARG BASE_IMAGE", "Step 2/3 : FROM ${BASE_IMAGE}", "Step 3/3 : RUN npm ci"];
  const lines: string[] = [];
  const s = await built();
  await imageResolver(engine, "mcps", { rebuild: true, buildArgs: {}, onProgress: (l) => lines.push(l) })(s);
  assert.equal(lines.length, 5);
  assert.match(lines[0]!, /^Building /);
  assert.deepEqual(lines.slice(1, 4), [
    `  ${s.type}: Step 1/3 : ARG BASE_IMAGE`,
    `  ${s.type}: Step 2/3 : FROM \${BASE_IMAGE}`,
    `  ${s.type}: Step 3/3 : RUN npm ci`,
  ]);
  assert.match(lines[4]!, /^Built .* in \d+\.\d s$/);
});

test("a build whose base image cannot be pulled names BASE_IMAGE and the private-registry step; other failures stay as they are", async () => {
  const engine = new FakeEngine();
  const s = await built();
  engine.buildFailure = 'Get "https://registry-1.docker.io/v2/": dial tcp: lookup registry-1.docker.io: no such host';
  const offline = await imageResolver(engine, "mcps", { rebuild: true, buildArgs: {} })(s).catch((e: Error) => e.message);
  assert.match(
    String(offline),
    /no such host \(the base image \S+ could not be pulled: .*--build-arg BASE_IMAGE=<image>; for a private registry, docker login first\)$/,
  );
  const local = new FakeEngine();
  local.buildFailure = "The command '/bin/sh -c npm ci' returned a non-zero code: 1";
  const failed = await imageResolver(local, "mcps", { rebuild: true, buildArgs: {} })(s).catch((e: Error) => e.message);
  assert.equal(failed, `build ${s.image}: The command '/bin/sh -c npm ci' returned a non-zero code: 1`);
});
