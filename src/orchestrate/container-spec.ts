/** ServicePlan + resolved secrets + network -> what the engine creates. Same fields as the compose file. */
import type { ContainerSpec } from "../engine/container-engine.js";
import { durationMs } from "../config/manifest-schema.js";
import type { ServicePlan } from "../plan/types.js";

export function containerSpec(s: ServicePlan, env: Record<string, string>, networkId: string): ContainerSpec {
  return {
    name: s.containerName,
    image: s.image,
    ...(s.command && { command: s.command }),
    env,
    labels: s.labels,
    containerPort: s.containerPort,
    hostPort: s.hostPort,
    bindAddress: s.bindAddress,
    networkId,
    alias: s.type,
    cpus: s.resources.cpus,
    memoryBytes: s.resources.memoryBytes,
    pids: s.resources.pids,
    healthcheck: {
      test: s.healthcheck.test,
      intervalMs: durationMs(s.healthcheck.interval),
      timeoutMs: durationMs(s.healthcheck.timeout),
      retries: s.healthcheck.retries,
      startPeriodMs: durationMs(s.healthcheck.startPeriod),
    },
    restart: s.hardening.restart,
    init: s.hardening.init,
    capDrop: s.hardening.capDrop,
    securityOpt: s.hardening.securityOpt,
    logging: s.hardening.logging,
  };
}
