/**
 * `mcps serve` options, checked once before anything listens: a bad value is one line and exit 2.
 * Durations use the manifests' notation (15s, 5m, 1h) and its parser.
 */
import { isIP } from "node:net";
import { DURATION, durationMs } from "../config/manifest-schema.js";
import { parseBuildArgs } from "../load/selection.js";
import { UsageError } from "../errors.js";

export interface ServeOptions {
  host: string;
  port: number;
  /** Stop customers unused this long; undefined: never. */
  idleStopMs?: number;
  /** The token's value (read from the variable --token-env names); never printed. */
  token?: string;
  tokenEnv?: string;
  probeIntervalMs: number;
  /** Build arguments for images a start has to build (BASE_IMAGE, say), as `mcps start --build-arg`. */
  buildArgs: Record<string, string>;
  /** How long a gateway request for a stopped customer waits for it to start. */
  wakeTimeoutMs: number;
  /** --audit-log: the file the gateway appends one line per tools/call to. */
  auditLog?: string;
}

export interface RawServeOptions {
  listen: string;
  idleStop?: string;
  tokenEnv?: string;
  probeInterval: string;
  buildArg?: string[];
  wakeTimeout?: string;
  auditLog?: string;
}

export function parseDuration(flag: string, text: string): number {
  const ms = DURATION.test(text) ? durationMs(text) : 0;
  if (ms <= 0) throw new UsageError(`${flag} ${JSON.stringify(text)}: expected a duration like 15s, 5m or 1h`);
  return ms;
}

/** host:port, [v6]:port; the host must be an IP address or localhost (a name could resolve anywhere). */
export function parseListen(text: string): { host: string; port: number } {
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]]+)):([0-9]{1,5})$/.exec(text);
  const host = m?.[1] ?? m?.[2] ?? "";
  const port = Number(m?.[3]);
  const hostOk = host === "localhost" || isIP(host) !== 0;
  if (!m || !hostOk || !Number.isInteger(port) || port > 65535) {
    throw new UsageError(`--listen ${JSON.stringify(text)}: expected ADDRESS:PORT with an IP address, e.g. 127.0.0.1:7070`);
  }
  return { host, port };
}

export const isLoopback = (host: string): boolean => host === "localhost" || host === "::1" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);

export function parseServeOptions(raw: RawServeOptions, env: NodeJS.ProcessEnv = process.env): ServeOptions {
  const { host, port } = parseListen(raw.listen);
  const probeIntervalMs = parseDuration("--probe-interval", raw.probeInterval);
  const idleStopMs = raw.idleStop === undefined ? undefined : parseDuration("--idle-stop", raw.idleStop);
  let token: string | undefined;
  if (raw.tokenEnv !== undefined) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(raw.tokenEnv)) {
      throw new UsageError(`--token-env ${JSON.stringify(raw.tokenEnv)}: expected the name of an environment variable`);
    }
    token = env[raw.tokenEnv];
    if (!token) throw new UsageError(`--token-env ${raw.tokenEnv}: the variable is not set or empty`);
  }
  if (!isLoopback(host) && token === undefined) {
    throw new UsageError(`--listen ${raw.listen} is not a loopback address: it needs --token-env VAR naming a variable that holds the bearer token`);
  }
  return {
    host,
    port,
    probeIntervalMs,
    buildArgs: parseBuildArgs(raw.buildArg ?? []),
    wakeTimeoutMs: parseDuration("--wake-timeout", raw.wakeTimeout ?? "60s"),
    ...(raw.auditLog !== undefined && { auditLog: raw.auditLog }),
    ...(idleStopMs !== undefined && { idleStopMs }),
    ...(token !== undefined && { token, tokenEnv: raw.tokenEnv }),
  };
}
