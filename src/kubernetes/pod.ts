/** The pod template of one (customer, type): the container, its probes, its lockdown. */
import { execProbeCommand } from "../health/container-probe.js";
import type { EnvEntry, HardeningPlan, HealthcheckPlan, ServicePlan } from "../plan/types.js";
import { memoryQuantity, resourcesOf } from "./quantities.js";

export const CONTAINER_NAME = "mcp";
export const PORT_NAME = "mcp";

/**
 * Kubernetes expands `$(NAME)` in env values and args, and reads `$$` as `$`: every `$` from data
 * is doubled so a value arrives exactly as the config wrote it.
 */
export const escapeExpansion = (text: string): string => text.replaceAll("$", "$$$$");

/** Seconds for a probe field: at least 1, rounded up so a probe never gets less time than compose gives. */
const seconds = (ms: number): number => Math.max(1, Math.ceil(ms / 1000));

/**
 * The compose health check, unchanged: the same exec command (minus Docker's "CMD" marker) runs the
 * same MCP initialize. Liveness and readiness share it; the startup probe covers start_period the way
 * Docker does (failures inside it do not count), then the usual retries.
 */
export function probesOf(hc: HealthcheckPlan) {
  const period = seconds(hc.intervalMs);
  const probe = {
    exec: { command: execProbeCommand(hc.probe) },
    periodSeconds: period,
    timeoutSeconds: seconds(hc.timeoutMs),
    failureThreshold: hc.retries,
  };
  return {
    startupProbe: { ...probe, failureThreshold: Math.ceil(seconds(hc.startPeriodMs) / period) + hc.retries },
    readinessProbe: probe,
    livenessProbe: probe,
  };
}

/** Literal values as they are; secrets only as references into the customer's Secret, keyed by variable name. */
function envOf(env: EnvEntry[], secretName: string) {
  return env.map((e) =>
    "fromVar" in e
      ? { name: e.name, valueFrom: { secretKeyRef: { name: secretName, key: e.fromVar } } }
      : { name: e.name, value: escapeExpansion(e.value) },
  );
}

const SECCOMP = { "runtime-default": { type: "RuntimeDefault" } } as const;

/** The plan's hardening as a container securityContext (Pod Security "restricted" asks for all of it). */
function securityContextOf(h: HardeningPlan) {
  return {
    runAsNonRoot: h.user.uid !== 0,
    runAsUser: h.user.uid,
    runAsGroup: h.user.gid,
    allowPrivilegeEscalation: !h.noNewPrivileges,
    capabilities: { drop: h.capDrop },
    readOnlyRootFilesystem: h.readOnlyRootFilesystem,
    seccompProfile: SECCOMP[h.seccomp],
  };
}

/** Each scratch folder is an emptyDir capped at the plan's size: Kubernetes' writable folder under a read-only root. */
const volumeName = (i: number) => (i === 0 ? "tmp" : `scratch-${i}`);

export function podSpecOf(s: ServicePlan, secretName: string) {
  const h = s.hardening;
  const lockdown = securityContextOf(h);
  return {
    // The servers never call the Kubernetes API: no token in the pod.
    automountServiceAccountToken: false,
    // No variables describing every other Service of the namespace.
    enableServiceLinks: false,
    // Compose's `init: true`: the pause container becomes PID 1 and reaps zombies, and the server
    // is no longer PID 1, which the kernel would shield from SIGTERM.
    shareProcessNamespace: h.init,
    terminationGracePeriodSeconds: seconds(h.stopGraceMs),
    securityContext: {
      runAsNonRoot: lockdown.runAsNonRoot,
      runAsUser: lockdown.runAsUser,
      runAsGroup: lockdown.runAsGroup,
      seccompProfile: lockdown.seccompProfile,
    },
    containers: [
      {
        name: CONTAINER_NAME,
        image: s.image,
        imagePullPolicy: "IfNotPresent",
        // Compose's `command` replaces the image's CMD, which is what Kubernetes calls args.
        ...(s.command && { args: s.command.map(escapeExpansion) }),
        ports: [{ name: PORT_NAME, containerPort: s.containerPort, protocol: "TCP" }],
        env: envOf(s.env, secretName),
        resources: resourcesOf(s.resources),
        securityContext: {
          runAsNonRoot: lockdown.runAsNonRoot,
          allowPrivilegeEscalation: lockdown.allowPrivilegeEscalation,
          capabilities: lockdown.capabilities,
          readOnlyRootFilesystem: lockdown.readOnlyRootFilesystem,
          seccompProfile: lockdown.seccompProfile,
        },
        ...probesOf(s.healthcheck),
        volumeMounts: h.scratch.map((m, i) => ({ name: volumeName(i), mountPath: m.path })),
      },
    ],
    volumes: h.scratch.map((m, i) => ({ name: volumeName(i), emptyDir: { sizeLimit: memoryQuantity(m.sizeBytes) } })),
  };
}
