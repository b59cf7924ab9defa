/** Plan limits as Kubernetes quantities, exactly (no rounding that would change a limit). */
import { formatMemory, KUBERNETES_SUFFIXES } from "../plan/resources.js";
import type { ResourceLimits } from "../plan/types.js";

/** 0.5 -> "500m", 2 -> "2". The config allows at least 0.01 cores, i.e. 10 millicores. */
export function cpuQuantity(cpus: number): string {
  const milli = Math.round(cpus * 1000);
  return milli % 1000 === 0 ? String(milli / 1000) : `${milli}m`;
}

/** Binary suffixes, like the compose file's "256m" (which Docker reads as MiB). */
export const memoryQuantity = (bytes: number): string => formatMemory(bytes, KUBERNETES_SUFFIXES);

/**
 * Limits are the plan's. Requests: memory equal to the limit (memory cannot be taken back from a
 * running server without killing it, so the scheduler must find it all), CPU a quarter of the
 * limit, at least 10m: hundreds of mostly idle servers would otherwise reserve whole nodes.
 */
export function resourcesOf(r: ResourceLimits) {
  const requestMilli = Math.max(10, Math.ceil((r.cpus * 1000) / 4));
  return {
    limits: { cpu: cpuQuantity(r.cpus), memory: memoryQuantity(r.memoryBytes) },
    requests: { cpu: cpuQuantity(requestMilli / 1000), memory: memoryQuantity(r.memoryBytes) },
  };
}
