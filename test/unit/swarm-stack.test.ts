/**
 * The Swarm stack file: valid by the Compose Specification and dclint, one attachable overlay
 * network per customer, nothing published unless asked, nothing Swarm ignores, secrets as ${VAR}.
 */
import assert from "node:assert/strict";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { parse } from "yaml";
import { runCli } from "../support/cli.js";
import { unescapedDollars } from "../support/compose-check.js";
import { composeSpecErrors } from "../support/compose-spec.js";
import { dclint } from "../support/dclint.js";
import { fixtureCustomer, workspace } from "../support/workspace.js";

const STACK = "docker-stack.mcps.yml";

async function inWorkspace(body: (dir: string) => Promise<void>) {
  const dir = workspace({ customers: [fixtureCustomer("Acme"), fixtureCustomer("Bolt Ltd", { type: "enterprise" })] });
  try {
    await body(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function stack(dir: string, args: string[] = []): Promise<{ doc: any; text: string; stderr: string }> {
  const r = await runCli(["generate", "--target", "swarm", ...args], { cwd: dir });
  assert.equal(r.code, 0, r.stderr);
  const text = readFileSync(path.join(dir, STACK), "utf8");
  return { doc: parse(text, { maxAliasCount: -1 }), text, stderr: r.stderr };
}

test("swarm: the stack file validates against the Compose Specification, with and without --publish", async () => {
  await inWorkspace(async (dir) => {
    const plain = await stack(dir);
    assert.deepEqual(composeSpecErrors(plain.doc), []);
    assert.equal(Object.keys(plain.doc.services).length, 4);
    const published = await stack(dir, ["--publish"]);
    assert.deepEqual(composeSpecErrors(published.doc), []);
    // The validator does reject a stack file that breaks the spec: the check can fail.
    const broken = structuredClone(plain.doc);
    broken.services["mcp-alpha-acme"].deploy.update_config.order = "sideways";
    assert.notDeepEqual(composeSpecErrors(broken), []);
  });
});

function dclintErrors(dir: string): string[] {
  return dclint(path.join(dir, STACK))
    .filter((m) => m.type === "error")
    .map((m) => m.rule);
}

test("swarm: dclint finds no errors in the stack file; with --publish only the open interfaces it warns about", async () => {
  await inWorkspace(async (dir) => {
    await stack(dir);
    assert.deepEqual(dclintErrors(dir), []);
    // Swarm cannot bind one interface (it ignores host_ip): exactly what --publish warns about.
    await stack(dir, ["--publish"]);
    assert.deepEqual(dclintErrors(dir), Array(4).fill("no-unbound-port-interfaces"));
  });
});

test("swarm: one attachable overlay network per customer, each service only on its own", async () => {
  await inWorkspace(async (dir) => {
    const { doc } = await stack(dir);
    assert.deepEqual(Object.keys(doc.networks), ["acme", "bolt-ltd"]);
    for (const [key, n] of Object.entries<any>(doc.networks)) {
      assert.equal(n.driver, "overlay");
      assert.equal(n.attachable, true);
      assert.equal(n.labels["mcps.customer"], key);
      // No name: the stack namespaces it, so two stacks never share a customer's network.
      assert.equal(n.name, undefined);
    }
    // The customer's network, with the type as an alias there (as in compose and `mcps start`).
    for (const s of Object.values<any>(doc.services))
      assert.deepEqual(s.networks, { [s.labels["mcps.customer"]]: { aliases: [s.labels["mcps.type"]] } });
  });
});

test("swarm: nothing published by default; --publish gives host-mode ports and a warning", async () => {
  await inWorkspace(async (dir) => {
    const plain = await stack(dir);
    for (const s of Object.values<any>(plain.doc.services)) assert.equal(s.ports, undefined);
    assert.doesNotMatch(plain.stderr, /--publish/);
    const published = await stack(dir, ["--publish"]);
    for (const s of Object.values<any>(published.doc.services)) {
      assert.equal(s.ports.length, 1);
      assert.equal(s.ports[0].mode, "host");
      assert.equal(s.ports[0].protocol, "tcp");
      assert.ok(s.ports[0].published >= 1024);
    }
    assert.match(published.stderr, /warning: --publish: 4 host ports are open on every interface of every node/);
    assert.match(published.text, /published in host mode \(--publish\), open on EVERY interface/);
  });
});

test("swarm: deploy holds limits, reservations, restart and start-first updates; Swarm-ignored keys are gone", async () => {
  await inWorkspace(async (dir) => {
    const { doc, text } = await stack(dir);
    const alpha = doc.services["mcp-alpha-acme"];
    assert.deepEqual(alpha.deploy.resources, { limits: { cpus: "0.5", memory: "256m", pids: 128 }, reservations: { memory: "128m" } });
    assert.equal(alpha.deploy.restart_policy.condition, "any");
    assert.equal(alpha.deploy.update_config.order, "start-first");
    assert.equal(alpha.deploy.replicas, 1);
    assert.deepEqual(alpha.deploy.labels, alpha.labels);
    assert.equal(alpha.init, true);
    assert.deepEqual(alpha.cap_drop, ["ALL"]);
    for (const s of Object.values<any>(doc.services)) {
      for (const key of ["build", "pull_policy", "container_name", "profiles", "restart", "security_opt", "pids_limit", "env_file"]) {
        assert.equal(key in s, false, `${key} in a swarm service`);
      }
    }
    // The header says what was left out and why.
    for (const key of ["container_name", "security_opt", "profiles", "build"]) assert.match(text, new RegExp(`^# +- ${key}.*: `, "m"));
  });
});

test("swarm: secrets are ${VAR} references only, every other $ escaped", async () => {
  await inWorkspace(async (dir) => {
    const { doc } = await stack(dir);
    assert.equal(doc.services["mcp-alpha-acme"].environment.ALPHA_TOKEN, "${ALPHA_TOKEN_ACME}");
    const bare: string[] = [];
    const walk = (v: unknown, at: string[]) => {
      if (typeof v === "string" && unescapedDollars(v).length) {
        if (!(at[2] === "environment" && /^\$\{[A-Z_][A-Z0-9_]*\}$/.test(v))) bare.push(at.join("."));
      } else if (v && typeof v === "object") for (const [k, x] of Object.entries(v)) walk(x, [...at, k]);
    };
    walk(doc, []);
    assert.deepEqual(bare, []);
  });
});

test("swarm: --check says current, then stale after a config change; --check writes nothing", async () => {
  await inWorkspace(async (dir) => {
    const missing = await runCli(["generate", "--target", "swarm", "--check"], { cwd: dir });
    assert.equal(missing.code, 1);
    assert.equal(existsSync(path.join(dir, STACK)), false);
    await stack(dir);
    const current = await runCli(["generate", "--target", "swarm", "--check"], { cwd: dir });
    assert.equal(current.code, 0, current.stderr);
    assert.match(current.stdout, /docker-stack\.mcps\.yml is up to date/);
    const config = JSON.parse(readFileSync(path.join(dir, "mcp_servers.json"), "utf8"));
    config.customers[0].mcp_servers[1].config.region = "us-2";
    writeFileSync(path.join(dir, "mcp_servers.json"), JSON.stringify(config));
    const stale = await runCli(["generate", "--target", "swarm", "--check"], { cwd: dir });
    assert.equal(stale.code, 1);
    assert.match(stale.stdout, /is stale/);
    // The compose file was never touched by the swarm target.
    assert.equal(existsSync(path.join(dir, "docker-compose.mcps.yml")), false);
  });
});

test("--image-prefix: compose and swarm name the same pushed image; a bad prefix is exit 2 and writes nothing", async () => {
  await inWorkspace(async (dir) => {
    const prefix = ["--image-prefix", "registry.example.com:5000/team/"];
    const swarm = (await stack(dir, prefix)).doc;
    assert.equal((await runCli(["generate", ...prefix], { cwd: dir })).code, 0);
    const compose = parse(readFileSync(path.join(dir, "docker-compose.mcps.yml"), "utf8"), { maxAliasCount: -1 });
    const image = swarm.services["mcp-alpha-acme"].image;
    assert.match(image, /^registry\.example\.com:5000\/team\/mcps\/alpha:[0-9a-f]{12}$/);
    assert.equal(compose.services["mcp-alpha-acme"].image, image);
    // A prebuilt image is not ours to move.
    assert.equal(swarm.services["mcp-beta-acme"].image, "example.invalid/beta:1.0");
    // The header's regenerate command carries the prefix, so --check keeps agreeing.
    assert.equal((await runCli(["generate", "--target", "swarm", "--check", ...prefix], { cwd: dir })).code, 0);
    rmSync(path.join(dir, STACK));
    for (const bad of ["registry.example.com", "team!/", "reg/${X}/", "reg//"]) {
      const r = await runCli(["generate", "--target", "swarm", "--image-prefix", bad], { cwd: dir });
      assert.equal(r.code, 2, `${bad}: ${r.stderr}`);
      assert.equal(r.stderr.trim().split("\n").length, 1, r.stderr);
      assert.match(r.stderr, /^mcps: --image-prefix /);
      assert.equal(existsSync(path.join(dir, STACK)), false);
    }
  });
});

test("generate: flags that do not fit the target are usage errors", async () => {
  await inWorkspace(async (dir) => {
    assert.equal((await runCli(["generate", "--target", "swarm", "--dev"], { cwd: dir })).code, 2);
    assert.equal((await runCli(["generate", "--publish"], { cwd: dir })).code, 2);
    assert.equal((await runCli(["generate", "--target", "nomad"], { cwd: dir })).code, 2);
  });
});
