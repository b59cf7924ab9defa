/**
 * Pure: plan -> the stack file for `docker stack deploy` as a plain object (the Compose
 * Specification's shape, the part Swarm reads). The same plan as compose: the same service names,
 * labels, config hash, limits, health check and one network per customer; the environment and the
 * escaping are compose's own (compose/), since `docker stack deploy` interpolates like compose.
 *
 * What compose writes and Swarm would ignore or refuse is left out (see STACK_DROPPED), so the file
 * says only what a swarm does.
 */
import { composeHealthcheck, customerNetwork, environment, scratchVolumes } from "../compose/compose-document.js";
import { escapeDollar, literal } from "../compose/interpolation.js";
import { formatDuration } from "../config/duration.js";
import { userSpec } from "../plan/hardening.js";
import { formatMemory } from "../plan/resources.js";
import type { HardeningPlan, Plan, ServicePlan } from "../plan/types.js";

export interface StackOptions {
  /** Opt-in: publish each service's host port in host mode, on every interface of the node it runs on. */
  publish: boolean;
}

/** What the compose file has and the stack file has not, and why: written into the file's header. */
export const STACK_DROPPED = [
  "build, pull_policy: docker stack deploy never builds; images come from a registry (see --image-prefix)",
  "container_name: Swarm names each task's container itself",
  "profiles: a stack deploys every service in the file; generate with --customer to deploy fewer",
  "restart: replaced by deploy.restart_policy, which is what Swarm reads",
  "security_opt (no-new-privileges): Swarm services cannot set it; capabilities are still dropped",
  "pids_limit: written as deploy.resources.limits.pids, the Swarm spelling",
  "ports: not published by default (Swarm cannot bind 127.0.0.1); consumers use the customer's network",
];

/** Swarm's restart conditions are none, on-failure and any; "always" and "unless-stopped" both mean any. */
function restartCondition(restart: string): string {
  return restart === "no" ? "none" : restart === "on-failure" ? "on-failure" : "any";
}

/**
 * Memory is reserved at half the limit: the scheduler then never packs a node with servers that
 * cannot all reach half their limit, yet a fleet of mostly idle servers does not strand capacity.
 * No CPU reservation: CPU is shared by time, a reservation would only keep nodes idle.
 */
function reservedMemory(limitBytes: number): string {
  const mib = 1024 * 1024;
  return formatMemory(Math.max(mib, Math.floor(limitBytes / 2 / mib) * mib));
}

function deploy(s: ServicePlan, hardening: HardeningPlan): Record<string, unknown> {
  return {
    mode: "replicated",
    replicas: 1,
    // DNS round robin: the service name resolves to its tasks' addresses. No virtual IP, so no IPVS,
    // which some kernels lack (the service then answers nothing); one replica has nothing to balance.
    endpoint_mode: "dnsrr",
    resources: {
      limits: { cpus: String(s.resources.cpus), memory: formatMemory(s.resources.memoryBytes), pids: s.resources.pids },
      reservations: { memory: reservedMemory(s.resources.memoryBytes) },
    },
    restart_policy: { condition: restartCondition(hardening.restart), delay: "5s" },
    // start-first: the new task runs (and passes its health check) before the old one stops, so an
    // update never leaves a customer without its server; a failed update rolls back by itself.
    update_config: { parallelism: 1, order: "start-first", failure_action: "rollback", monitor: "30s" },
    rollback_config: { parallelism: 1, order: "start-first" },
    // Service labels: what `mcps status --target swarm` finds the services by.
    labels: literal(s.labels),
  };
}

function service(s: ServicePlan, opts: StackOptions): Record<string, unknown> {
  return {
    image: escapeDollar(s.image),
    ...(s.command && { command: literal(s.command) }),
    environment: environment(s.env),
    ...(opts.publish && {
      ports: [{ target: s.containerPort, published: s.hostPort, protocol: "tcp", mode: "host" }],
    }),
    // Container labels: the same as the service's, so `docker ps` on a node tells whose server it is.
    labels: literal(s.labels),
    networks: customerNetwork(s),
    healthcheck: literal(composeHealthcheck(s.healthcheck)),
    init: s.hardening.init,
    user: userSpec(s.hardening),
    read_only: s.hardening.readOnlyRootFilesystem,
    // Long-syntax tmpfs mounts: stack deploy ignores the short `tmpfs:` key, but mounts these.
    volumes: literal(scratchVolumes(s.hardening)),
    cap_drop: literal(s.hardening.capDrop),
    stop_grace_period: formatDuration(s.hardening.stopGraceMs),
    logging: literal(s.hardening.logging),
    deploy: deploy(s, s.hardening),
  };
}

export function stackDocument(plan: Plan, opts: StackOptions): Record<string, unknown> {
  return {
    services: Object.fromEntries(plan.services.map((s) => [s.name, service(s, opts)])),
    // No `name:`: the stack prefixes each network (<stack>_<customer-id>), so two stacks never share
    // one, nor meet a compose project's bridge network of the plan's name on the same node.
    // Attachable: an agent's own service or an operator's debug container can join one customer's network.
    networks: Object.fromEntries(plan.networks.map((n) => [n.key, literal({ driver: "overlay", attachable: true, labels: n.labels })])),
  };
}
