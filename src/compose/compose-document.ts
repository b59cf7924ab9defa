/** Pure: plan -> the compose document as a plain object (the Compose Specification's shape). */
import type { EnvEntry, Plan, ServicePlan } from "../plan/types.js";
import { formatMemory } from "../plan/resources.js";
import { baseImageArg, escapeDollar, literal, variableRef } from "./interpolation.js";

export { escapeDollar } from "./interpolation.js";

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
function environment(env: EnvEntry[]): Record<string, string> {
  return Object.fromEntries(env.map((e) => [e.name, "fromVar" in e ? variableRef(e.fromVar) : escapeDollar(e.value)]));
}

/**
 * One service. Its own fields come first, then those it usually shares with the other services of
 * its type (the renderer writes each distinct shared block once and reuses the text). Every string
 * from data goes through literal() or escapeDollar(): compose reads "$" in any value as a variable.
 *
 * pull_policy "never" for built images: they are built here, tagged with their build context's
 * digest, and exist in no registry. Compose v2 then builds a missing image on `up` and never asks a
 * registry for it (the default, "missing", would first try to pull mcps/<type>:<digest> from Docker
 * Hub, where anyone could publish that name); "build" would rebuild on every `up`.
 */
function service(s: ServicePlan, opts: ComposeOptions): Record<string, unknown> {
  return {
    ...literal({
      image: s.image,
      container_name: s.containerName,
      ...(!opts.dev && { profiles: [s.customerId] }),
    }),
    environment: environment(s.env),
    ...literal({
      ports: [`${s.bindAddress}:${s.hostPort}:${s.containerPort}`],
      networks: [s.network.key],
      labels: s.labels,
    }),
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
      healthcheck: {
        test: s.healthcheck.test,
        interval: s.healthcheck.interval,
        timeout: s.healthcheck.timeout,
        retries: s.healthcheck.retries,
        start_period: s.healthcheck.startPeriod,
      },
      restart: opts.dev ? "no" : s.hardening.restart,
      init: s.hardening.init,
      security_opt: s.hardening.securityOpt,
      cap_drop: s.hardening.capDrop,
      logging: s.hardening.logging,
    }),
  };
}

export function composeDocument(plan: Plan, opts: ComposeOptions): Record<string, unknown> {
  // No env_file: a shared credentials file would hand every customer's secrets to every container.
  // Each container gets exactly the variables its own service names under `environment`.
  return {
    services: Object.fromEntries(plan.services.map((s) => [s.name, service(s, opts)])),
    networks: Object.fromEntries(
      plan.networks.map((n) => [n.key, literal({ name: n.name, driver: "bridge", labels: n.labels })]),
    ),
  };
}
