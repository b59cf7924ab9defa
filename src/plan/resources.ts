/** Resource limits: manifest defaults, then the config's defaults, then the server's own. */
import type { Resources } from "../config/schema.js";
import type { ResourceLimits } from "./types.js";

const UNIT: Record<string, number> = { "": 1, b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 };

/** Compose/docker notation ("256m", "1g", "512mb", "1.5g", bytes) -> bytes. */
export function memoryBytes(value: string | number): number {
  if (typeof value === "number") return value;
  const m = /^([0-9]+(?:\.[0-9]+)?)\s*([bkmg]?)/i.exec(value.trim());
  if (!m) throw new Error(`not a memory value: ${value}`);
  return Math.round(Number(m[1]) * UNIT[m[2]!.toLowerCase()]!);
}

/** bytes -> the shortest exact compose notation: 268435456 -> "256m". */
export function formatMemory(bytes: number): string {
  for (const [unit, size] of [["g", 1024 ** 3], ["m", 1024 ** 2], ["k", 1024]] as const) {
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
  return { cpus: merged.cpus, memoryBytes: memoryBytes(merged.memory), pids: merged.pids };
}
