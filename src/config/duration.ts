/**
 * Compose's duration notation ("30s", "1m30s", "500ms"), both ways. Manifests and flags are parsed
 * once where they are read; the plan holds milliseconds; compose and the stack file get them back
 * as text from formatDuration alone.
 */

export const DURATION = /^(?:[0-9]+(?:ms|s|m|h))+$/;

const UNITS: Array<[string, number]> = [
  ["h", 3_600_000],
  ["m", 60_000],
  ["s", 1000],
  ["ms", 1],
];
const UNIT_MS: Record<string, number> = Object.fromEntries(UNITS);

/** "1m30s" -> 90000 */
export function durationMs(text: string): number {
  let total = 0;
  for (const m of text.matchAll(/([0-9]+)(ms|s|m|h)/g)) total += Number(m[1]) * UNIT_MS[m[2]!]!;
  return total;
}

/** 90000 -> "1m30s", 500 -> "500ms", 0 -> "0s": the shortest text durationMs reads back to the same number. */
export function formatDuration(ms: number): string {
  if (!Number.isSafeInteger(ms) || ms < 0) throw new RangeError(`not a duration: ${ms} ms`);
  if (ms === 0) return "0s";
  let rest = ms;
  let text = "";
  for (const [unit, size] of UNITS) {
    const n = Math.floor(rest / size);
    if (n > 0) text += `${n}${unit}`;
    rest -= n * size;
  }
  return text;
}
