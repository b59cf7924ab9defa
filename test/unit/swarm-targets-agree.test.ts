/**
 * Every target renders the same plan: service for service, the same names, labels, config hash,
 * image, limits, health check, hardening, ports, DNS aliases and customer network. One reader per
 * target turns its output back into the plan's terms (milliseconds, bytes, numbers); the engine spec
 * is read as the Docker API body `mcps start` sends. What a target cannot say is listed in its
 * `lacks`, with the reason, and left out of the comparison for that target only.
 */
import assert from "node:assert/strict";
import { readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { parse, parseAllDocuments } from "yaml";
import { loadPlan } from "../../src/load/load-plan.js";
import { durationMs } from "../../src/config/duration.js";
import { createOptions } from "../../src/engine/create-options.js";
import { containerProbeCommand } from "../../src/health/container-probe.js";
import { containerSpec } from "../../src/orchestrate/container-spec.js";
import type { Plan, ServicePlan } from "../../src/plan/types.js";
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
  healthcheck: { test: string[]; intervalMs: number; timeoutMs: number; retries: number; startPeriodMs: number };
  hardening: {
    user: string;
    readOnlyRoot: boolean;
    scratch: Array<{ path: string; sizeBytes: number }>;
    noNewPrivileges: boolean;
    capDrop: string[];
    stopGraceMs: number;
  };
  ports: { container: number; host?: number };
  aliases: string[];
  /** The customer whose network the service is on, and that network's labels. */
  network: { customer: string; labels: Record<string, string> };
}
/** "startPeriodInPeriods": the start period is covered in whole intervals (a startup probe's failure count). */
type Field = "noNewPrivileges" | "hostPort" | "aliases" | "networkLabels" | "startPeriodInPeriods";

const MEMORY = /^(\d+)([kmg]?)$/;
const bytes = (text: string) => {
  const m = MEMORY.exec(text);
  assert.ok(m, `memory ${text}`);
  return Number(m[1]) * 1024 ** ["", "k", "m", "g"].indexOf(m[2]!);
};
const K8S_MEMORY = (q: string) => Number(/^\d+/.exec(q)![0]) * ({ Gi: 1024 ** 3, Mi: 1024 ** 2, Ki: 1024 }[q.replace(/^\d+/, "")] ?? 1);

function fromPlan(s: ServicePlan, lacks: Field[]): ServiceView {
  const h = s.hardening;
  const { probe, ...timing } = s.healthcheck;
  if (lacks.includes("startPeriodInPeriods")) timing.startPeriodMs = Math.ceil(timing.startPeriodMs / timing.intervalMs) * timing.intervalMs;
  return {
    name: s.name,
    labels: s.labels,
    image: s.image,
    cpus: s.resources.cpus,
    memoryBytes: s.resources.memoryBytes,
    pids: s.resources.pids,
    healthcheck: { test: containerProbeCommand(probe), ...timing },
    hardening: {
      user: `${h.user.uid}:${h.user.gid}`,
      readOnlyRoot: h.readOnlyRootFilesystem,
      scratch: h.scratch,
      noNewPrivileges: lacks.includes("noNewPrivileges") ? false : h.noNewPrivileges,
      capDrop: h.capDrop,
      stopGraceMs: h.stopGraceMs,
    },
    ports: { container: s.containerPort, ...(!lacks.includes("hostPort") && { host: s.hostPort }) },
    aliases: lacks.includes("aliases") ? [] : s.aliases,
    network: { customer: s.network.key, labels: lacks.includes("networkLabels") ? {} : s.network.labels },
  };
}

/** A compose-shaped service (compose and swarm share the shape); pids and ports where the target keeps them. */
function fromComposeShape(doc: any, name: string, pids: number, host: number | undefined): ServiceView {
  const s = doc.services[name];
  const keys = Object.keys(s.networks);
  assert.equal(keys.length, 1, `${name}: one network`);
  const key = keys[0]!;
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
      intervalMs: durationMs(hc.interval),
      timeoutMs: durationMs(hc.timeout),
      retries: hc.retries,
      startPeriodMs: durationMs(hc.start_period),
    },
    hardening: {
      user: s.user,
      readOnlyRoot: s.read_only,
      scratch: s.volumes.filter((v: any) => v.type === "tmpfs").map((v: any) => ({ path: v.target, sizeBytes: v.tmpfs.size })),
      noNewPrivileges: (s.security_opt ?? []).includes("no-new-privileges:true"),
      capDrop: s.cap_drop,
      stopGraceMs: durationMs(s.stop_grace_period),
    },
    ports: { container: containerPortOf(s), ...(host !== undefined && { host }) },
    aliases: s.networks[key].aliases,
    network: { customer: key, labels: doc.networks[key].labels },
  };
}

function containerPortOf(s: any): number {
  if (typeof s.ports?.[0] === "string") return Number(s.ports[0].split(":").pop());
  if (s.ports?.[0]) return s.ports[0].target;
  // Unpublished (the stack file without --publish): the port the check connects to.
  return Number(s.healthcheck.test.at(-5));
}

/** The Docker API body `mcps start` sends, read back. */
function fromEngineSpec(plan: Plan): ServiceView[] {
  return plan.services.map((s) => {
    const body = createOptions(containerSpec(s, {}, `net-${s.network.key}`));
    const host = body.HostConfig!;
    const [binding] = Object.entries(host.PortBindings as Record<string, Array<{ HostPort: string }>>);
    const hc = body.Healthcheck!;
    const ms = (ns: number | undefined) => (ns ?? 0) / 1e6;
    return {
      name: String(body.Labels!["mcps.service"]),
      labels: body.Labels!,
      image: body.Image!,
      cpus: host.NanoCpus! / 1e9,
      memoryBytes: host.Memory!,
      pids: host.PidsLimit!,
      healthcheck: {
        test: hc.Test!,
        intervalMs: ms(hc.Interval),
        timeoutMs: ms(hc.Timeout),
        retries: hc.Retries!,
        startPeriodMs: ms(hc.StartPeriod),
      },
      hardening: {
        user: body.User!,
        readOnlyRoot: host.ReadonlyRootfs!,
        scratch: (host.Mounts ?? []).filter((m) => m.Type === "tmpfs").map((m) => ({ path: m.Target, sizeBytes: m.TmpfsOptions!.SizeBytes })),
        noNewPrivileges: host.SecurityOpt!.includes("no-new-privileges:true"),
        capDrop: host.CapDrop!,
        stopGraceMs: (body.StopTimeout ?? 0) * 1000,
      },
      ports: { container: Number(binding![0].split("/")[0]), host: Number(binding![1][0]!.HostPort) },
      aliases: body.NetworkingConfig!.EndpointsConfig![`net-${s.network.key}`]!.Aliases!,
      // The engine spec names the network by id; which customer's it is, the plan says (networks.ts makes it with these labels).
      network: { customer: host.NetworkMode!.slice("net-".length), labels: {} },
    };
  });
}

/** A Deployment's pod, read back. */
function fromKubernetes(text: string): ServiceView[] {
  const objects = parseAllDocuments(text).map((d) => d.toJS() as any);
  const namespaces = new Map(objects.filter((o) => o.kind === "Namespace").map((o) => [o.metadata.name, o.metadata.labels]));
  return objects
    .filter((o) => o.kind === "Deployment")
    .map((d) => {
      const pod = d.spec.template.spec;
      const c = pod.containers[0];
      const meta = { ...d.spec.template.metadata.labels, ...d.spec.template.metadata.annotations };
      const labels = Object.fromEntries(Object.entries(meta).filter(([k]) => k.startsWith("mcps."))) as Record<string, string>;
      const probe = c.livenessProbe;
      const ns = namespaces.get(d.metadata.namespace);
      return {
        name: d.metadata.name,
        labels,
        image: c.image,
        cpus: c.resources.limits.cpu.endsWith("m") ? Number(c.resources.limits.cpu.slice(0, -1)) / 1000 : Number(c.resources.limits.cpu),
        memoryBytes: K8S_MEMORY(c.resources.limits.memory),
        // Kubernetes has no per-container pids limit (it is the kubelet's, per node): taken from the plan.
        pids: Number.NaN,
        healthcheck: {
          test: ["CMD", ...probe.exec.command],
          intervalMs: probe.periodSeconds * 1000,
          timeoutMs: probe.timeoutSeconds * 1000,
          retries: probe.failureThreshold,
          startPeriodMs: (c.startupProbe.failureThreshold - probe.failureThreshold) * c.startupProbe.periodSeconds * 1000,
        },
        hardening: {
          user: `${pod.securityContext.runAsUser}:${pod.securityContext.runAsGroup}`,
          readOnlyRoot: c.securityContext.readOnlyRootFilesystem,
          scratch: c.volumeMounts.map((m: any) => ({
            path: m.mountPath,
            sizeBytes: K8S_MEMORY(pod.volumes.find((v: any) => v.name === m.name).emptyDir.sizeLimit),
          })),
          noNewPrivileges: c.securityContext.allowPrivilegeEscalation === false,
          capDrop: c.securityContext.capabilities.drop,
          stopGraceMs: pod.terminationGracePeriodSeconds * 1000,
        },
        ports: { container: c.ports[0].containerPort },
        aliases: [],
        network: { customer: ns["mcps.customer"], labels: {} },
      };
    });
}

const yamlOf = (dir: string, file: string) => parse(readFileSync(path.join(dir, file), "utf8"), { maxAliasCount: -1 });

interface Reader {
  args?: string[];
  /** What the target cannot say, and so is not compared. */
  lacks: Field[];
  read(dir: string, stdout: string, plan: Plan): ServiceView[];
}

const READERS: Record<string, Reader> = {
  compose: {
    args: [],
    lacks: [],
    read: (dir) => {
      const doc = yamlOf(dir, "docker-compose.mcps.yml");
      return Object.keys(doc.services).map((n) => {
        const s = doc.services[n];
        return fromComposeShape(doc, n, s.pids_limit, Number(s.ports[0].split(":")[1]));
      });
    },
  },
  swarm: {
    args: ["--target", "swarm", "--publish"],
    // Swarm services cannot set no-new-privileges (STACK_DROPPED says so in the file's header).
    lacks: ["noNewPrivileges"],
    read: (dir) => {
      const doc = yamlOf(dir, "docker-stack.mcps.yml");
      return Object.keys(doc.services).map((n) => {
        const s = doc.services[n];
        // Service labels (what status finds) and container labels are both the plan's.
        assert.deepEqual(s.deploy.labels, s.labels, `${n}: deploy.labels`);
        return fromComposeShape(doc, n, s.deploy.resources.limits.pids, s.ports[0].published);
      });
    },
  },
  engine: {
    lacks: ["networkLabels"],
    read: (_dir, _stdout, plan) => fromEngineSpec(plan),
  },
  kubernetes: {
    args: ["--target", "kubernetes", "--out", "-"],
    // A Service in the customer's namespace, not a host port; no network aliases (the Service name is the DNS name).
    lacks: ["hostPort", "aliases", "networkLabels", "startPeriodInPeriods"],
    read: (_dir, stdout) => fromKubernetes(stdout),
  },
};

test("every target agrees with the plan, service for service", async () => {
  const dir = workspace({
    project: "agree",
    customers: [fixtureCustomer("Acme"), fixtureCustomer("Bolt Ltd", { type: "enterprise" }), fixtureCustomer("Cyan")],
  });
  try {
    const { plan } = await loadPlan({ config: path.join(dir, "mcp_servers.json"), catalog: path.join(dir, "mcps") });
    assert.equal(plan.services.length, 6);
    // Hashes differ per service: a reader that returned one service's view for all would fail.
    assert.equal(new Set(plan.services.map((s) => s.hash)).size, 6);
    for (const s of plan.services) {
      // The check's command line carries the plan's probe, as data, in its last arguments.
      const { port, path: at, transport, budgetMs, trustForMs } = s.healthcheck.probe;
      assert.deepEqual(containerProbeCommand(s.healthcheck.probe).slice(-5), [String(port), at, transport, String(budgetMs), String(trustForMs)]);
      assert.ok(s.aliases.length > 0 && s.hardening.readOnlyRootFilesystem && s.hardening.scratch.length > 0);
    }
    for (const [target, { args, lacks, read }] of Object.entries(READERS)) {
      let stdout = "";
      if (args) {
        const r = await runCli(["generate", ...args], { cwd: dir });
        assert.equal(r.code, 0, `${target}: ${r.stderr}`);
        stdout = r.stdout;
      }
      const expected = plan.services.map((s) => fromPlan(s, lacks));
      const got = read(dir, stdout, plan).sort((a, b) => (a.name < b.name ? -1 : 1));
      // Kubernetes keeps no pids limit per container: compare the rest.
      if (target === "kubernetes") for (const [i, g] of got.entries()) g.pids = expected[i]!.pids;
      assert.deepEqual(got, expected, `${target} disagrees with the plan`);
      for (const s of got) assert.equal(s.labels["mcps.config-hash"], plan.services.find((p) => p.name === s.name)!.hash);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
