/** Resource limits: manifest defaults, then the config's defaults, then the server's own. */
import type { Resources } from "../config/schema.js";
import type { ResourceLimits } from "./types.js";

/**
 * bytes -> the shortest exact notation: 268435456 -> "256m" (compose's spelling), or "256Mi" with
 * Kubernetes' suffixes. The schema already parsed the input; sizes are formatted here only.
 */
export function formatMemory(bytes: number, suffixes: { g: string; m: string; k: string; b: string } = COMPOSE_SUFFIXES): string {
  for (const [unit, size] of [
    [suffixes.g, 1024 ** 3],
    [suffixes.m, 1024 ** 2],
    [suffixes.k, 1024],
  ] as const) {
    if (bytes % size === 0) return `${bytes / size}${unit}`;
  }
  return `${bytes}${suffixes.b}`;
}

const COMPOSE_SUFFIXES = { g: "g", m: "m", k: "k", b: "b" };
export const KUBERNETES_SUFFIXES = { g: "Gi", m: "Mi", k: "Ki", b: "" };

export function mergeResources(...layers: Array<Resources | undefined>): ResourceLimits {
  const merged: Resources = {};
  for (const layer of layers) if (layer) Object.assign(merged, Object.fromEntries(Object.entries(layer).filter(([, v]) => v !== undefined)));
  if (merged.cpus === undefined || merged.memory === undefined || merged.pids === undefined) {
    throw new Error("the manifest must define cpus, memory and pids"); // guaranteed by ManifestSchema
  }
  return { cpus: merged.cpus, memoryBytes: merged.memory, pids: merged.pids };
}
