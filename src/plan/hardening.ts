/**
 * The lockdown every container gets, decided here once: compose, the stack file, Kubernetes and the
 * engine spec only write it in their own words.
 */
import type { HardeningPlan } from "./types.js";

/** The UID:GID the shipped Dockerfiles switch to (`USER 1000:1000`); Kubernetes' runAsNonRoot needs a number. */
const RUN_AS = 1000;

/**
 * The shipped servers answer MCP with a read-only root and only /tmp writable (the integration tests
 * start them so); the health check keeps its verdict in /dev/shm, which the runtime mounts writable.
 */
const SCRATCH_BYTES = 64 * 1024 * 1024;

/** Docker's own default, now said out loud: SIGTERM, then the kill after 10 s. */
const STOP_GRACE_MS = 10_000;

export function hardening(restart: string): HardeningPlan {
  return {
    init: true,
    user: { uid: RUN_AS, gid: RUN_AS },
    readOnlyRootFilesystem: true,
    scratch: [{ path: "/tmp", sizeBytes: SCRATCH_BYTES }],
    noNewPrivileges: true,
    capDrop: ["ALL"],
    seccomp: "runtime-default",
    logging: { driver: "json-file", options: { "max-size": "10m", "max-file": "3" } },
    restart,
    stopGraceMs: STOP_GRACE_MS,
  };
}

/** Docker's `--security-opt` list for the plan: what compose writes and the engine reads back. */
export function securityOptions(h: HardeningPlan): string[] {
  return h.noNewPrivileges ? ["no-new-privileges:true"] : [];
}

/** Docker's `--user` text. */
export const userSpec = (h: HardeningPlan): string => `${h.user.uid}:${h.user.gid}`;
