/** Pure: plan -> the compose document as a plain object (the Compose Specification's shape). */
import { formatDuration } from "../config/duration.js";
import { containerProbeCommand } from "../health/container-probe.js";
import { securityOptions, userSpec } from "../plan/hardening.js";
import { formatMemory } from "../plan/resources.js";
import type { EnvEntry, HardeningPlan, HealthcheckPlan, Plan, ServicePlan } from "../plan/types.js";
import { baseImageArg, escapeDollar, literal, setOwn, variableRef } from "./interpolation.js";

export interface ComposeOptions {
  /** Build context of a type, relative to the compose file's folder (posix separators). */
  contextPath(service: ServicePlan): string;
  /**
   * A developer's stack: no profiles (plain `up` starts everything in the file) and no restart
   * policy (a crashing server stays down where you can read its logs).
   */
  dev?: boolean;
}

/** Literal values escaped; secrets as ${VAR} references to host variables the config named. */
export function environment(env: EnvEntry[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of env) setOwn(out, e.name, "fromVar" in e ? variableRef(e.fromVar) : escapeDollar(e.value));
  return out;
}

/** The plan's health check in compose's words; the stack file writes the same. */
export function composeHealthcheck(hc: HealthcheckPlan): Record<string, unknown> {
  return {
    test: containerProbeCommand(hc.probe),
    interval: formatDuration(hc.intervalMs),
    timeout: formatDuration(hc.timeoutMs),
    retries: hc.retries,
    start_period: formatDuration(hc.startPeriodMs),
  };
}

/**
 * The writable scratch folders as long-syntax tmpfs mounts: the form both compose and `docker stack
 * deploy` read (stack deploy ignores the short `tmpfs:` key).
 */
export function scratchVolumes(h: HardeningPlan): Array<Record<string, unknown>> {
  return h.scratch.map((m) => ({ type: "tmpfs", target: m.path, tmpfs: { size: m.sizeBytes } }));
}

/**
 * The fields a service shares with the other services of its type (service() puts its own fields
 * first, then its customer's, then these; the renderer writes each distinct block once). Every string
 * from data goes through literal() or escapeDollar(): compose reads "$" in any value as a variable.
 *
 * pull_policy "never" for built images: they are built here, tagged with their build context's
 * digest, and exist in no registry. Compose v2 then builds a missing image on `up` and never asks a
 * registry for it (the default, "missing", would first try to pull mcps/<type>:<digest> from Docker
 * Hub, where anyone could publish that name); "build" would rebuild on every `up`.
 */
function sharedFields(s: ServicePlan, opts: ComposeOptions): Record<string, unknown> {
  return {
    ...(s.build && {
      build: {
        ...literal({ context: opts.contextPath(s), dockerfile: s.build.dockerfile }),
        // Overridable per run: `docker-compose build --build-arg BASE_IMAGE=...` or BASE_IMAGE in the environment.
        args: { BASE_IMAGE: baseImageArg(s.build.baseImage) },
      },
      pull_policy: "never",
    }),
    ...literal({
      ...(s.command && { command: s.command }),
      deploy: { resources: { limits: { cpus: String(s.resources.cpus), memory: formatMemory(s.resources.memoryBytes) } } },
      // Not deploy.resources.limits.pids: Debian's docker-compose 1.29 rejects that key; both
      // compose v1 and v2 apply pids_limit, and it is the same engine setting (PidsLimit).
      pids_limit: s.resources.pids,
      healthcheck: composeHealthcheck(s.healthcheck),
      restart: opts.dev ? "no" : s.hardening.restart,
      init: s.hardening.init,
      user: userSpec(s.hardening),
      read_only: s.hardening.readOnlyRootFilesystem,
      volumes: scratchVolumes(s.hardening),
      security_opt: securityOptions(s.hardening),
      cap_drop: s.hardening.capDrop,
      stop_grace_period: formatDuration(s.hardening.stopGraceMs),
      logging: s.hardening.logging,
    }),
  };
}

/** Structural equality of plain JSON-like values; strings shared by reference compare in O(1). */
function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null || Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  return ka.every((k) => Object.hasOwn(b, k) && same((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/**
 * The fields a service usually shares with the others of its type, built once per distinct input:
 * equal blocks are then one object, whose parts the renderer writes once (it caches them by identity).
 * Inputs are bucketed by a short key and compared structurally, never serialised: the health
 * check alone holds a 2 KB probe source, and serialising it for 3,000 services was measurable.
 */
function sharedBlocks(opts: ComposeOptions): (s: ServicePlan) => Record<string, unknown> {
  const buckets = new Map<string, Array<{ input: unknown[]; block: Record<string, unknown> }>>();
  // contextPath resolves paths: once per type and build folder, not once per service.
  const contexts = new Map<string, string>();
  const contextOf = (s: ServicePlan): string => {
    if (!s.build) return "";
    const key = `${s.type}\0${s.build.contextDir}\0${s.build.dockerfile}`;
    let context = contexts.get(key);
    if (context === undefined) {
      context = opts.contextPath(s);
      contexts.set(key, context);
    }
    return context;
  };
  return (s) => {
    const context = contextOf(s);
    const input = [context, s.build, s.command, s.resources, s.healthcheck, s.hardening];
    const key = `${s.type}\0${context}\0${s.resources.cpus}\0${s.resources.memoryBytes}\0${s.resources.pids}`;
    const bucket = buckets.get(key) ?? [];
    buckets.set(key, bucket);
    let entry = bucket.find((e) => same(e.input, input));
    if (!entry) {
      entry = { input, block: sharedFields(s, opts) };
      bucket.push(entry);
    }
    return entry.block;
  };
}

/** Where a customer's services run: one object per customer, so the renderer writes it once. */
function customerBlocks(opts: ComposeOptions): (s: ServicePlan) => Record<string, unknown> {
  const seen = new Map<string, Record<string, unknown>>();
  return (s) => {
    const key = `${s.customerId}\0${s.network.key}`;
    let block = seen.get(key);
    if (!block) {
      block = literal({ ...(!opts.dev && { profiles: [s.customerId] }) });
      seen.set(key, block);
    }
    return block;
  };
}

/** The customer's network, with the service's aliases on it; the stack file writes the same. */
export function customerNetwork(s: ServicePlan): Record<string, unknown> {
  // Built directly (not through literal()): one per service, and only the aliases are values.
  const out: Record<string, unknown> = {};
  setOwn(out, s.network.key, { aliases: s.aliases.map(escapeDollar) });
  return out;
}

function service(s: ServicePlan, customer: Record<string, unknown>, shared: Record<string, unknown>): Record<string, unknown> {
  return {
    image: escapeDollar(s.image),
    container_name: escapeDollar(s.containerName),
    environment: environment(s.env),
    ports: [escapeDollar(`${s.bindAddress}:${s.hostPort}:${s.containerPort}`)],
    labels: literal(s.labels),
    ...customer,
    networks: customerNetwork(s),
    ...shared,
  };
}

export function composeDocument(plan: Plan, opts: ComposeOptions): Record<string, unknown> {
  const customer = customerBlocks(opts);
  const shared = sharedBlocks(opts);
  // No env_file: a shared credentials file would hand every customer's secrets to every container.
  // Each container gets exactly the variables its own service names under `environment`.
  return {
    services: Object.fromEntries(plan.services.map((s) => [s.name, service(s, customer(s), shared(s))])),
    networks: Object.fromEntries(plan.networks.map((n) => [n.key, literal({ name: n.name, driver: "bridge", labels: n.labels })])),
  };
}
