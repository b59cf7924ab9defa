/**
 * `status --watch`: a new report after each burst of Docker events (a container started, died, changed
 * health) and at least every interval (MCP answers change without any Docker event). Ends when the signal
 * aborts (Ctrl-C); a failing event stream ends it with that error.
 */
import type { ContainerEvent } from "../engine/container-engine.js";
import type { ServiceStatus, StatusReport } from "./status.js";

/** Events come in bursts (die, then restart, then health): wait this long for the rest before looking. */
const SETTLE_MS = 250;

export async function* watchReports(
  take: () => Promise<StatusReport>,
  events: AsyncIterable<ContainerEvent>,
  opts: { intervalMs: number; signal: AbortSignal; settleMs?: number },
): AsyncGenerator<StatusReport> {
  let dirty = false;
  let failure: unknown;
  let wake: (() => void) | undefined;
  const poke = () => wake?.();
  opts.signal.addEventListener("abort", poke);
  const pump = (async () => {
    try {
      for await (const _ of events) {
        dirty = true;
        poke();
      }
    } catch (e) {
      failure = e;
      poke();
    }
  })();
  try {
    while (!opts.signal.aborted) {
      yield await take();
      dirty = false;
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          wake = undefined;
          resolve();
        };
        const timer = setTimeout(done, opts.intervalMs);
        wake = done;
        if (dirty || opts.signal.aborted || failure) done();
      });
      if (failure) throw failure;
      if (dirty && !opts.signal.aborted) await new Promise((r) => setTimeout(r, opts.settleMs ?? SETTLE_MS));
    }
  } finally {
    opts.signal.removeEventListener("abort", poke);
    await Promise.race([pump, new Promise((r) => setTimeout(r, 100))]);
  }
}

/** A row's identity and what ops care to hear about when it changes. */
const key = (s: ServiceStatus) => `${s.orphan ? "orphan:" : ""}${s.service}`;
const shape = (s: ServiceStatus) =>
  [s.state, s.health, s.verdict, s.mcp ? (s.mcp.ok ? "mcp ok" : "mcp FAIL") : "", s.stale.join(","), String(s.details?.restartCount ?? "")].join("|");

/** The rows that are new or changed since the previous report, plus those that disappeared (as "gone"). */
export function changedRows(prev: StatusReport | undefined, next: StatusReport): Array<{ row: ServiceStatus; gone: boolean }> {
  const before = new Map((prev?.services ?? []).map((s) => [key(s), s]));
  const changed: Array<{ row: ServiceStatus; gone: boolean }> = [];
  for (const s of next.services) {
    const old = before.get(key(s));
    before.delete(key(s));
    if (!old || shape(old) !== shape(s)) changed.push({ row: s, gone: false });
  }
  for (const s of before.values()) changed.push({ row: s, gone: true });
  return changed;
}
