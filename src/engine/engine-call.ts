/**
 * Every Docker API call goes through here: a time limit (an engine socket that accepts but never
 * answers must not hang mcps), and dockerode's errors in our words: connection failures become
 * EngineUnreachableError and time-outs EngineTimeoutError (both naming where we looked); API answers
 * become NotFoundError, NameTakenError, ConflictError or EngineError. This file is the one place
 * that reads Docker's HTTP statuses; callers outside engine/ test the error's type.
 */
import { ConflictError, EngineError, EngineTimeoutError, EngineUnreachableError, NameTakenError, NotFoundError } from "../errors.js";

const UNREACHABLE = new Set(["ECONNREFUSED", "ENOENT", "EACCES", "ETIMEDOUT", "EHOSTUNREACH", "ENOTFOUND", "ECONNRESET", "EPIPE"]);

/** An engine answer that is an error of no kind callers act on; statusCode is Docker's HTTP status, for engine/ only. */
export class EngineAnswerError extends EngineError {
  override name = "EngineAnswerError";
  constructor(
    message: string,
    readonly statusCode: number | undefined,
  ) {
    super(message);
  }
}

/** Docker's HTTP status of an engine answer; inside engine/ only (304 "already so", 503 "not a swarm manager"). */
export function statusOf(e: unknown): number | undefined {
  return e instanceof EngineAnswerError ? e.statusCode : undefined;
}

/** 409 means two things: a name in use (create, rename, create network) or a state that refuses (a removal in progress). */
const NAME_IN_USE = /already in use|already exists/i;

/** Docker's answer in our words. */
export function answerError(message: string, statusCode: number | undefined): EngineError {
  if (statusCode === 404) return new NotFoundError(message);
  if (statusCode === 409 && NAME_IN_USE.test(message)) return new NameTakenError(message);
  // 403: "network ... has active endpoints"; 409: "removal of container ... is already in progress".
  if (statusCode === 409 || statusCode === 403) return new ConflictError(message);
  return new EngineAnswerError(message, statusCode);
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
        reject(new EngineTimeoutError(`the Docker engine at ${endpoint} did not answer within ${duration(opts.timeoutMs!)} (${what})`));
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
      throw answerError(`${what}: ${reason.trim()}`, err.statusCode);
    } finally {
      clearTimeout(timer);
    }
  };
}
