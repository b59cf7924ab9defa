/**
 * Every target renders the same plan: service for service, the same names, labels, config hash,
 * image, limits, health check and customer network. One reader per target turns its output back into
 * the plan's terms; a new target (kubernetes) adds a reader to READERS.
 */
import assert from "node:assert/strict";
import { readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { parse } from "yaml";
import { loadPlan } from "../../src/load/load-plan.js";
import type { ServicePlan } from "../../src/plan/types.js";
import { runCli } from "../support/cli.js";
import { fixtureCustomer, workspace } from "../support/workspace.js";

/** What every target must say about a service, in the plan's own units. */
interface ServiceView {
  name: string;
  labels: Record<string, string>;
  image: string;
  cpus: number;
  memoryBytes: number;
  pids: number;
  healthcheck: { test: string[]; interval: string; timeout: string; retries: number; startPeriod: string };
  /** The customer whose network the service is on, and that network's labels. */
  network: { customer: string; labels: Record<string, string> };
}

const MEMORY = /^(\d+)([kmg]?)$/;
const bytes = (text: string) => {
  const m = MEMORY.exec(text);
  assert.ok(m, `memory ${text}`);
  return Number(m[1]) * 1024 ** ["", "k", "m", "g"].indexOf(m[2]!);
};

const fromPlan = (s: ServicePlan): ServiceView => ({
  name: s.name,
  labels: s.labels,
  image: s.image,
  cpus: s.resources.cpus,
  memoryBytes: s.resources.memoryBytes,
  pids: s.resources.pids,
  healthcheck: s.healthcheck,
  network: { customer: s.network.key, labels: s.network.labels },
});

/** A compose-shaped service (compose and swarm share the shape); pids where the target keeps it. */
function fromComposeShape(doc: any, name: string, pids: number): ServiceView {
  const s = doc.services[name];
  assert.equal(s.networks.length, 1, `${name}: one network`);
  const key = s.networks[0];
  const hc = s.healthcheck;
  return {
    name,
    labels: s.labels,
    image: s.image,
    cpus: Number(s.deploy.resources.limits.cpus),
    memoryBytes: bytes(s.deploy.resources.limits.memory),
    pids,
    // Read as compose and stack deploy read it: "$$" is a literal "$" (the check's shell says "$@").
    healthcheck: {
      test: hc.test.map((part: string) => part.replaceAll("$$", "$")),
      interval: hc.interval,
      timeout: hc.timeout,
      retries: hc.retries,
      startPeriod: hc.start_period,
    },
    network: { customer: key, labels: doc.networks[key].labels },
  };
}

type Reader = (dir: string) => ServiceView[];

const yamlOf = (dir: string, file: string) => parse(readFileSync(path.join(dir, file), "utf8"), { maxAliasCount: -1 });

const READERS: Record<string, { args: string[]; read: Reader }> = {
  compose: {
    args: [],
    read: (dir) => {
      const doc = yamlOf(dir, "docker-compose.mcps.yml");
      return Object.keys(doc.services).map((n) => fromComposeShape(doc, n, doc.services[n].pids_limit));
    },
  },
  swarm: {
    args: ["--target", "swarm"],
    read: (dir) => {
      const doc = yamlOf(dir, "docker-stack.mcps.yml");
      return Object.keys(doc.services).map((n) => {
        const s = doc.services[n];
        // Service labels (what status finds) and container labels are both the plan's.
        assert.deepEqual(s.deploy.labels, s.labels, `${n}: deploy.labels`);
        return fromComposeShape(doc, n, s.deploy.resources.limits.pids);
      });
    },
  },
};

test("every target agrees with the plan, service for service", async () => {
  const dir = workspace({
    project: "agree",
    customers: [fixtureCustomer("Acme"), fixtureCustomer("Bolt Ltd", { type: "enterprise" }), fixtureCustomer("Cyan")],
  });
  try {
    const { plan } = await loadPlan({ config: path.join(dir, "mcp_servers.json"), catalog: path.join(dir, "mcps") });
    const expected = plan.services.map(fromPlan);
    assert.equal(expected.length, 6);
    // Hashes differ per service: a reader that returned one service's view for all would fail.
    assert.equal(new Set(expected.map((s) => s.labels["mcps.config-hash"])).size, 6);
    for (const [target, { args, read }] of Object.entries(READERS)) {
      const r = runCli(["generate", ...args], { cwd: dir });
      assert.equal(r.code, 0, `${target}: ${r.stderr}`);
      const got = read(dir).sort((a, b) => (a.name < b.name ? -1 : 1));
      assert.deepEqual(got, expected, `${target} disagrees with the plan`);
      for (const s of got) assert.equal(s.labels["mcps.config-hash"], plan.services.find((p) => p.name === s.name)!.hash);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
