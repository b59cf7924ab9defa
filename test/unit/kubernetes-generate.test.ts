/**
 * `mcps generate --target kubernetes` end to end through the built CLI: the folder, --check, --out -,
 * refusals, planted secrets absent from every byte, and agreement with the plan service for service
 * (the same terms as swarm-targets-agree.test.ts, read back from the manifests).
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { parse } from "yaml";
import { loadPlan } from "../../src/load/load-plan.js";
import { containerProbeCommand } from "../../src/health/container-probe.js";
import { runCli } from "../support/cli.js";
import { fixtureCustomer, inWorkspace } from "../support/workspace.js";
import { type Obj, objectProblems, objectsOf } from "../support/kubernetes-kit.js";

function readFolder(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const rel of readdirSync(dir, { recursive: true, encoding: "utf8" })) {
    if (!rel.endsWith(".yaml")) continue;
    out.set(rel.split(path.sep).join("/"), readFileSync(path.join(dir, rel), "utf8"));
  }
  return out;
}

const config = {
  project: "agree",
  customers: [fixtureCustomer("Acme"), fixtureCustomer("Bolt Ltd", { type: "enterprise" }), fixtureCustomer("Cyan")],
};

test(
  "writes k8s/ by default, unchanged on a second run, --check current, then stale after a hand edit",
  inWorkspace(config, async (dir) => {
    const r = await runCli(["generate", "--target", "kubernetes"], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^Wrote k8s \(6 services for 3 customers\)\n$/);
    const files = readFolder(path.join(dir, "k8s"));
    assert.deepEqual(
      [...files.keys()].filter((f) => f.startsWith("customers/acme/")).sort(),
      ["alpha-deployment.yaml", "alpha-service.yaml", "beta-deployment.yaml", "beta-service.yaml", "namespace.yaml", "network-policy.yaml"].map(
        (f) => `customers/acme/${f}`,
      ),
    );
    for (const { obj } of objectsOf(files)) if (obj.kind !== "Kustomization") assert.deepEqual(objectProblems(obj), []);
    assert.match((await runCli(["generate", "--target", "kubernetes"], { cwd: dir })).stdout, /unchanged/);
    assert.equal((await runCli(["generate", "--target", "kubernetes", "--check"], { cwd: dir })).code, 0);
    writeFileSync(path.join(dir, "k8s/customers/cyan/beta-service.yaml"), "edited\n");
    const stale = await runCli(["generate", "--target", "kubernetes", "--check"], { cwd: dir });
    assert.equal(stale.code, 1);
    assert.match(stale.stdout, /customers\/cyan\/beta-service\.yaml: differs/);
    assert.equal(readFileSync(path.join(dir, "k8s/customers/cyan/beta-service.yaml"), "utf8"), "edited\n", "--check writes nothing");
  }),
);

test(
  "--out - prints every applied object as one stream, without the kustomization or the example Secret",
  inWorkspace(config, async (dir) => {
    const r = await runCli(["generate", "--target", "kubernetes", "--out", "-"], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    const objects = objectsOf(new Map([["-", r.stdout]])).map(({ obj }) => obj);
    assert.deepEqual([...new Set(objects.map((o: Obj) => o.kind))].sort(), ["Deployment", "Namespace", "NetworkPolicy", "Service"]);
    assert.equal(objects.length, 3 * 2 + 6 * 2);
    assert.equal(readdirSync(dir).includes("k8s"), false);
  }),
);

test(
  "refuses inputs, a file, a foreign folder and flags that do not apply, with one line and exit 2",
  inWorkspace(config, async (dir) => {
    writeFileSync(path.join(dir, "notes"), "x");
    for (const [args, line] of [
      [["--out", "mcps"], /^mcps: is the catalog folder/],
      [["--out", "mcp_servers.json"], /^mcp_servers\.json: is a file, not a folder/],
      [["--out", "."], /^\.: is the current folder/],
      [["--dev"], /^mcps: --dev does not apply to --target kubernetes/],
    ] as const) {
      const r = await runCli(["generate", "--target", "kubernetes", ...args], { cwd: dir });
      assert.equal(r.code, 2, `${args}: ${r.stderr}`);
      assert.equal(r.stderr.trimEnd().split("\n").length, 1, r.stderr);
      assert.match(r.stderr, line);
    }
  }),
);

test(
  "no secret value in any byte written or printed",
  inWorkspace(config, async (dir) => {
    const canaries = ["canary-k8s-gen-env-51d0c3", "canary-k8s-gen-file-7a2e94"];
    writeFileSync(path.join(dir, "mcp_credentials.env"), `ALPHA_TOKEN_BOLT_LTD=${canaries[1]}\n`);
    const r = await runCli(["generate", "--target", "kubernetes"], { cwd: dir, env: { ALPHA_TOKEN_ACME: canaries[0] } });
    assert.equal(r.code, 0, r.stderr);
    const printed = await runCli(["generate", "--target", "kubernetes", "--out", "-"], { cwd: dir, env: { ALPHA_TOKEN_ACME: canaries[0] } });
    const all = [...readFolder(path.join(dir, "k8s")).values(), r.stdout, r.stderr, printed.stdout, printed.stderr].join("\n");
    for (const c of canaries) assert.ok(!all.includes(c), "a planted secret reached the output");
    assert.match(all, /key: ALPHA_TOKEN_BOLT_LTD/, "the variable name is there, as a reference");
  }),
);

test(
  "the manifests agree with the plan, service for service: names, labels, hash, image, limits, health check, customer",
  inWorkspace(config, async (dir) => {
    const { plan } = await loadPlan({ config: path.join(dir, "mcp_servers.json"), catalog: path.join(dir, "mcps") });
    assert.equal((await runCli(["generate", "--target", "kubernetes"], { cwd: dir })).code, 0);
    const objects = objectsOf(readFolder(path.join(dir, "k8s"))).map(({ obj }) => obj);
    const deployments = objects.filter((o: Obj) => o.kind === "Deployment");
    assert.equal(deployments.length, plan.services.length);
    const seconds = (ms: number) => Math.ceil(ms / 1000);
    for (const s of plan.services) {
      const d = deployments.find((x: Obj) => x.metadata.name === s.name);
      const pod = d.spec.template;
      const c = pod.spec.containers[0];
      // Every plan label is a label or (free text, the hash) an annotation; values unchanged.
      const mcpsKeys = Object.fromEntries(
        Object.entries({ ...pod.metadata.labels, ...pod.metadata.annotations }).filter(([k]) => k.startsWith("mcps.")),
      );
      assert.deepEqual(mcpsKeys, s.labels);
      assert.equal(c.image, s.image);
      assert.equal(c.resources.limits.memory, `${s.resources.memoryBytes / 1024 ** 2}Mi`);
      assert.equal(Number(c.resources.limits.cpu.replace(/m$/, "")) / (c.resources.limits.cpu.endsWith("m") ? 1000 : 1), s.resources.cpus);
      assert.deepEqual(["CMD", ...c.livenessProbe.exec.command], containerProbeCommand(s.healthcheck.probe));
      assert.equal(c.livenessProbe.periodSeconds, seconds(s.healthcheck.intervalMs));
      assert.equal(c.livenessProbe.timeoutSeconds, seconds(s.healthcheck.timeoutMs));
      assert.equal(c.livenessProbe.failureThreshold, s.healthcheck.retries);
      const startup = (c.startupProbe.failureThreshold - s.healthcheck.retries) * c.startupProbe.periodSeconds;
      assert.ok(startup >= seconds(s.healthcheck.startPeriodMs) && startup < seconds(s.healthcheck.startPeriodMs) + c.startupProbe.periodSeconds);
      assert.equal(d.metadata.namespace, s.network.name);
      assert.equal(pod.metadata.labels["mcps.customer"], s.network.key);
    }
    const kustomization = parse(readFileSync(path.join(dir, "k8s/kustomization.yaml"), "utf8"));
    assert.equal(kustomization.resources.length, objects.length - 1 - objects.filter((o: Obj) => o.kind === "Secret").length);
  }),
);

/** kubectl is no dependency of the project; where it is installed, its offline kustomize build is one more reader. */
const kubectl = spawnSync("kubectl", ["version", "--client"], { encoding: "utf8" });
test(
  "kubectl kustomize (offline) builds the folder into exactly the listed objects",
  { skip: kubectl.status === 0 ? false : "kubectl is not installed here: the kustomize build was not exercised" },
  inWorkspace(config, async (dir) => {
    assert.equal((await runCli(["generate", "--target", "kubernetes"], { cwd: dir })).code, 0);
    const built = spawnSync("kubectl", ["kustomize", path.join(dir, "k8s")], { encoding: "utf8", env: { ...process.env, KUBECONFIG: "/dev/null" } });
    assert.equal(built.status, 0, built.stderr);
    const id = (o: Obj) => `${o.kind}/${o.metadata.namespace ?? ""}/${o.metadata.name}`;
    const fromKustomize = objectsOf(new Map([["built", built.stdout]])).map(({ obj }) => id(obj));
    const listed = objectsOf(readFolder(path.join(dir, "k8s")))
      .filter(({ file, obj }) => obj.kind !== "Kustomization" && file !== "secret.example.yaml")
      .map(({ obj }) => id(obj));
    assert.deepEqual(fromKustomize.sort(), listed.sort());
    assert.ok(!built.stdout.includes("kind: Secret"));
  }),
);
