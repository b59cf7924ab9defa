/**
 * Races are normal: another `mcps start` (or a person) may change a container between our reading
 * and our acting. Such a step throws Raced; the service is then read again and reconciled against
 * what is really there, a bounded number of times.
 */
export class Raced extends Error {
  override name = "Raced";
}

/** How often one service is read again before giving up: each round means someone else acted. */
export const MAX_ROUNDS = 8;

/** "network mcps-acme is ambiguous (2 matches found on name)": a racing run's duplicate, removed a moment later. */
export function isAmbiguousNetwork(e: unknown): boolean {
  return e instanceof Error && /network .* is ambiguous/.test(e.message);
}
