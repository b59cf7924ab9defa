/** ServicePlan + resolved secrets + network -> what the engine creates. Same fields as the compose file. */
import type { ContainerSpec } from "../engine/container-engine.js";
import { containerProbeCommand } from "../health/container-probe.js";
import { securityOptions, userSpec } from "../plan/hardening.js";
import type { ServicePlan } from "../plan/types.js";

export function containerSpec(s: ServicePlan, env: Record<string, string>, networkId: string): ContainerSpec {
  const { probe, ...timing } = s.healthcheck;
  const h = s.hardening;
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
    aliases: s.aliases,
    cpus: s.resources.cpus,
    memoryBytes: s.resources.memoryBytes,
    pids: s.resources.pids,
    healthcheck: { test: containerProbeCommand(probe), ...timing },
    restart: h.restart,
    init: h.init,
    user: userSpec(h),
    readOnlyRootFilesystem: h.readOnlyRootFilesystem,
    scratch: h.scratch,
    capDrop: h.capDrop,
    securityOpt: securityOptions(h),
    logging: h.logging,
    stopGraceMs: h.stopGraceMs,
  };
}
