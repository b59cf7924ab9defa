/** Pure: plan -> the compose document as a plain object (the Compose Specification's shape). */
import { canonicalJson } from "../plan/hash.js";
import type { EnvEntry, Plan, ServicePlan } from "../plan/types.js";
import { formatMemory } from "../plan/resources.js";

/**
 * Returns one instance per distinct value. The YAML renderer writes a value shared by several
 * services once, as an anchor, and aliases it elsewhere: a 1,000-customer file stays readable
 * (each service shows what is its own) and renders in a fraction of the time.
 */
function sharing() {
  const seen = new Map<string, unknown>();
  return <T>(value: T): T => {
    const key = canonicalJson(value);
    const first = seen.get(key);
    if (first !== undefined) return first as T;
    seen.set(key, value);
    return value;
  };
}
type Share = ReturnType<typeof sharing>;

/** Compose reads "$" as the start of a variable; a literal one is written "$$". */
export function escapeDollar(value: string): string {
  return value.replaceAll("$", "$$$$");
}

function environment(env: EnvEntry[]): Record<string, string> {
  return Object.fromEntries(env.map((e) => [e.name, "fromVar" in e ? `\${${e.fromVar}}` : escapeDollar(e.value)]));
}

export interface ComposeOptions {
  /** Build context of a type, relative to the compose file's folder (posix separators). */
  contextPath(service: ServicePlan): string;
  /**
   * A developer's stack: no profiles (plain `up` starts everything in the file) and no restart
   * policy (a crashing server stays down where you can read its logs).
   */
  dev?: boolean;
}

function service(s: ServicePlan, plan: Plan, opts: ComposeOptions, share: Share): Record<string, unknown> {
  return {
    image: s.image,
    ...(s.build && {
      build: share({
        context: opts.contextPath(s),
        dockerfile: s.build.dockerfile,
        // Overridable per run: `docker-compose build --build-arg BASE_IMAGE=...` or BASE_IMAGE in the environment.
        args: { BASE_IMAGE: `\${BASE_IMAGE:-${s.build.baseImage}}` },
      }),
    }),
    container_name: s.containerName,
    ...(s.command && { command: s.command.map(escapeDollar) }),
    ...(!opts.dev && { profiles: [s.customerId] }),
    ...(plan.envFile && { env_file: [{ path: plan.envFile, required: false }] }),
    environment: environment(s.env),
    ports: [`${s.bindAddress}:${s.hostPort}:${s.containerPort}`],
    networks: [s.network.key],
    labels: Object.fromEntries(Object.entries(s.labels).map(([k, v]) => [k, escapeDollar(v)])),
    deploy: share({
      resources: { limits: { cpus: String(s.resources.cpus), memory: formatMemory(s.resources.memoryBytes) } },
    }),
    // Not deploy.resources.limits.pids: Debian's docker-compose 1.29 rejects that key; both
    // compose v1 and v2 apply pids_limit, and it is the same engine setting (PidsLimit).
    pids_limit: s.resources.pids,
    healthcheck: share({
      test: s.healthcheck.test,
      interval: s.healthcheck.interval,
      timeout: s.healthcheck.timeout,
      retries: s.healthcheck.retries,
      start_period: s.healthcheck.startPeriod,
    }),
    restart: opts.dev ? "no" : s.hardening.restart,
    init: s.hardening.init,
    security_opt: share(s.hardening.securityOpt),
    cap_drop: share(s.hardening.capDrop),
    logging: share(s.hardening.logging),
  };
}

export function composeDocument(plan: Plan, opts: ComposeOptions): Record<string, unknown> {
  const share = sharing();
  return {
    services: Object.fromEntries(plan.services.map((s) => [s.name, service(s, plan, opts, share)])),
    networks: Object.fromEntries(
      plan.networks.map((n) => [n.key, { name: n.name, driver: "bridge", labels: n.labels }]),
    ),
  };
}
