/**
 * Every Docker API call goes through here: a time limit (an engine socket that accepts but never
 * answers must not hang mcps), and dockerode's errors in our words: connection failures and time-outs
 * become EngineUnreachableError (exit 3, naming where we looked), API answers become EngineError
 * carrying the HTTP status, so callers can tell a name conflict (409) or a missing object (404).
 */
import { EngineError, EngineUnreachableError } from "../errors.js";

const UNREACHABLE = new Set(["ECONNREFUSED", "ENOENT", "EACCES", "ETIMEDOUT", "EHOSTUNREACH", "ENOTFOUND", "ECONNRESET", "EPIPE"]);

/** An engine answer that is an error; statusCode is Docker's HTTP status. */
export class EngineAnswerError extends EngineError {
  override name = "EngineAnswerError";
  constructor(
    message: string,
    readonly statusCode: number | undefined,
  ) {
    super(message);
  }
}

/** The HTTP status of an engine error (ours or a test double's), if it has one. */
export function statusOf(e: unknown): number | undefined {
  return (e as { statusCode?: number } | undefined)?.statusCode;
}

const duration = (ms: number) => (ms < 1000 ? `${ms} ms` : `${Math.round(ms / 1000)} s`);

export interface CallOptions {
  /** Undefined: no limit (a build, a followed log). */
  timeoutMs: number | undefined;
}

export function engineCaller(endpoint: string) {
  return async function call<T>(what: string, fn: (signal: AbortSignal) => Promise<T>, opts: CallOptions): Promise<T> {
    const abort = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<never>((_, reject) => {
      if (opts.timeoutMs === undefined) return;
      timer = setTimeout(() => {
        abort.abort();
        reject(new EngineUnreachableError(`the Docker engine at ${endpoint} did not answer within ${duration(opts.timeoutMs!)} (${what})`));
      }, opts.timeoutMs);
    });
    try {
      // The race is the guarantee; the abort is what frees the socket so the process can exit.
      return await Promise.race([fn(abort.signal), expired]);
    } catch (e) {
      if (e instanceof EngineUnreachableError) throw e;
      const err = e as NodeJS.ErrnoException & { statusCode?: number; json?: { message?: string } };
      if (err.code && UNREACHABLE.has(err.code) && !err.statusCode) {
        throw new EngineUnreachableError(`cannot reach the Docker engine at ${endpoint}: ${err.code}`);
      }
      if (/All configured authentication methods failed|connect ETIMEDOUT|getaddrinfo/.test(err.message ?? "")) {
        throw new EngineUnreachableError(`cannot reach the Docker engine at ${endpoint}: ${err.message}`);
      }
      const reason = err.json?.message ?? err.message ?? String(e);
      throw new EngineAnswerError(`${what}: ${reason.trim()}`, err.statusCode);
    } finally {
      clearTimeout(timer);
    }
  };
}
