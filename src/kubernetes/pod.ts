/** The pod template of one (customer, type): the container, its probes, its lockdown. */
import { durationMs } from "../config/manifest-schema.js";
import type { EnvEntry, HealthcheckPlan, ServicePlan } from "../plan/types.js";
import { resourcesOf } from "./quantities.js";

/** The UID:GID the shipped Dockerfiles switch to (`USER 1000:1000`); runAsNonRoot needs a number. */
export const RUN_AS = 1000;
export const CONTAINER_NAME = "mcp";
export const PORT_NAME = "mcp";

/**
 * Kubernetes expands `$(NAME)` in env values and args, and reads `$$` as `$`: every `$` from data
 * is doubled so a value arrives exactly as the config wrote it.
 */
export const escapeExpansion = (text: string): string => text.replaceAll("$", "$$$$");

/** Seconds for a probe field: at least 1, rounded up so a probe never gets less time than compose gives. */
const seconds = (duration: string): number => Math.max(1, Math.ceil(durationMs(duration) / 1000));

/**
 * The compose health check, unchanged: the same exec command (minus Docker's "CMD" marker) runs the
 * same MCP initialize. Liveness and readiness share it; the startup probe covers start_period the way
 * Docker does (failures inside it do not count), then the usual retries.
 */
export function probesOf(hc: HealthcheckPlan) {
  const command = hc.test[0] === "CMD" ? hc.test.slice(1) : hc.test;
  const period = seconds(hc.interval);
  const probe = { exec: { command }, periodSeconds: period, timeoutSeconds: seconds(hc.timeout), failureThreshold: hc.retries };
  return {
    startupProbe: { ...probe, failureThreshold: Math.ceil(seconds(hc.startPeriod) / period) + hc.retries },
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

const SECCOMP = { type: "RuntimeDefault" };

export function podSpecOf(s: ServicePlan, secretName: string) {
  return {
    // The servers never call the Kubernetes API: no token in the pod.
    automountServiceAccountToken: false,
    // No variables describing every other Service of the namespace.
    enableServiceLinks: false,
    // Compose's `init: true`: the pause container becomes PID 1 and reaps zombies, and the server
    // is no longer PID 1, which the kernel would shield from SIGTERM.
    shareProcessNamespace: true,
    terminationGracePeriodSeconds: 10,
    securityContext: { runAsNonRoot: true, runAsUser: RUN_AS, runAsGroup: RUN_AS, seccompProfile: SECCOMP },
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
          runAsNonRoot: true,
          allowPrivilegeEscalation: false,
          capabilities: { drop: s.hardening.capDrop },
          // The shipped servers answer MCP with a read-only root and only /tmp writable (checked
          // with docker run --read-only --tmpfs /tmp and the probe below).
          readOnlyRootFilesystem: true,
          seccompProfile: SECCOMP,
        },
        ...probesOf(s.healthcheck),
        volumeMounts: [{ name: "tmp", mountPath: "/tmp" }],
      },
    ],
    volumes: [{ name: "tmp", emptyDir: { sizeLimit: "64Mi" } }],
  };
}
