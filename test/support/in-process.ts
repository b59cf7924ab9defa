/**
 * What running the CLI in the test's own process needs: a queue (cwd and environment are
 * process-wide, so two calls must not overlap), text sinks for stdout and stderr, and a scope that
 * sets cwd and environment for one call, puts them back, and fails a call that leaves process-wide
 * state behind (an exit code, a signal listener): a CLI run must not, in a process or out of one.
 */
import { Writable } from "node:stream";

let queue: Promise<unknown> = Promise.resolve();

/** Runs `fn` after every call queued before it has settled; one failing does not stop the next. */
export function serialized<T>(fn: () => Promise<T>): Promise<T> {
  const run = queue.then(fn, fn);
  queue = run.catch(() => undefined);
  return run;
}

export function sinkStream(): { stream: Writable; text: () => string } {
  let text = "";
  const stream = new Writable({
    write(chunk, _enc, done) {
      text += String(chunk);
      done();
    },
  });
  return { stream, text: () => text };
}

function replaceEnv(next: NodeJS.ProcessEnv): void {
  for (const key of Object.keys(process.env)) delete process.env[key];
  for (const [key, value] of Object.entries(next)) if (value !== undefined) process.env[key] = value;
}

/** A call that did not settle within its limit (it cannot be killed; its test fails instead of waiting). */
export class InProcessTimeout extends Error {}

const SIGNALS = ["SIGINT", "SIGTERM"] as const;
const listeners = () => SIGNALS.map((s) => process.listenerCount(s)).join(",");

export interface Scope {
  cwd: string;
  /** The whole environment for the call, not an overlay. */
  env: NodeJS.ProcessEnv;
  timeoutMs: number;
  /** Named in the timeout's message. */
  what: string;
}

export async function withProcessState<T>(scope: Scope, fn: () => Promise<T>): Promise<T> {
  const saved = { cwd: process.cwd(), env: { ...process.env }, exitCode: process.exitCode, listeners: listeners() };
  let timer: NodeJS.Timeout | undefined;
  try {
    replaceEnv(scope.env);
    process.chdir(scope.cwd);
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new InProcessTimeout(`${scope.what}: no exit within ${scope.timeoutMs} ms in-process (a hang)`)),
        scope.timeoutMs,
      );
    });
    const result = await Promise.race([fn(), timeout]);
    if (process.exitCode !== saved.exitCode) throw new Error(`${scope.what} set process.exitCode to ${process.exitCode}`);
    if (listeners() !== saved.listeners) throw new Error(`${scope.what} left a signal listener behind (SIGINT,SIGTERM: ${listeners()})`);
    return result;
  } finally {
    clearTimeout(timer);
    process.exitCode = saved.exitCode;
    process.chdir(saved.cwd);
    replaceEnv(saved.env);
  }
}
