/** Memory limits in compose/docker notation, parsed once: the schema hands bytes to everyone after it. */

/** Docker/compose memory notation: a number with an optional b, k, m or g unit. */
export const MEMORY = /^[0-9]+(?:\.[0-9]+)?\s*(?:[bkmg]|[kmg]b|[kmg]ib)?$/i;

/** Docker refuses a memory limit below 6 MiB. */
export const MIN_MEMORY_BYTES = 6 * 1024 * 1024;

const UNIT: Record<string, number> = { "": 1, b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 };

/** "256m", "1g", "512mb", "1.5g" or a byte count -> bytes. Call only on text MEMORY accepts. */
export function memoryBytes(value: string | number): number {
  if (typeof value === "number") return value;
  const m = /^([0-9]+(?:\.[0-9]+)?)\s*([bkmg]?)/i.exec(value.trim());
  if (!m) return Number.NaN;
  return Math.round(Number(m[1]) * UNIT[m[2]!.toLowerCase()]!);
}
