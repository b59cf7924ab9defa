/** Resource limits: manifest defaults, then the config's defaults, then the server's own. */
import type { Resources } from "../config/schema.js";
import type { ResourceLimits } from "./types.js";

/** bytes -> the shortest exact compose notation: 268435456 -> "256m". The schema already parsed the input. */
export function formatMemory(bytes: number): string {
  for (const [unit, size] of [
    ["g", 1024 ** 3],
    ["m", 1024 ** 2],
    ["k", 1024],
  ] as const) {
    if (bytes % size === 0) return `${bytes / size}${unit}`;
  }
  return `${bytes}b`;
}

export function mergeResources(...layers: Array<Resources | undefined>): ResourceLimits {
  const merged: Resources = {};
  for (const layer of layers) if (layer) Object.assign(merged, Object.fromEntries(Object.entries(layer).filter(([, v]) => v !== undefined)));
  if (merged.cpus === undefined || merged.memory === undefined || merged.pids === undefined) {
    throw new Error("the manifest must define cpus, memory and pids"); // guaranteed by ManifestSchema
  }
  return { cpus: merged.cpus, memoryBytes: merged.memory, pids: merged.pids };
}
