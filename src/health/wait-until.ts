/**
 * Retry until a condition holds or time runs out. The clock is injectable so tests of readiness
 * logic run instantly instead of sleeping through real intervals.
 */
import { setTimeout as sleep } from "node:timers/promises";

export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const realClock: Clock = {
  now: () => performance.now(),
  sleep: async (ms) => {
    await sleep(ms);
  },
};

export interface WaitResult<T> {
  value: T;
  done: boolean;
  elapsedMs: number;
}

/**
 * Calls attempt until it returns a value for which done(value) is true, or timeoutMs passes; returns the last value.
 * There is always at least one attempt, and one more at the deadline, so a timeout shorter than the interval
 * still gets a second look. An attempt that throws ends the wait with that error: attempts report failure as values.
 */
export async function waitUntil<T>(
  attempt: () => Promise<T>,
  done: (v: T) => boolean,
  opts: { timeoutMs: number; intervalMs: number; clock?: Clock },
): Promise<WaitResult<T>> {
  const clock = opts.clock ?? realClock;
  const start = clock.now();
  for (;;) {
    const value = await attempt();
    const elapsedMs = clock.now() - start;
    if (done(value)) return { value, done: true, elapsedMs };
    const leftMs = opts.timeoutMs - elapsedMs;
    if (leftMs <= 0) return { value, done: false, elapsedMs };
    await clock.sleep(Math.min(opts.intervalMs, leftMs));
  }
}
