/**
 * `mcps serve`, assembled: the held fleet (store + sync), the operations, the HTTP server, the config
 * watch and the idle sweep. Everything that waits (timers, watches, the event stream) ends in close().
 */
import type { AddressInfo } from "node:net";
import type { ContainerEngine } from "../engine/container-engine.js";
import { probeMcp, type RevisionMemory } from "../health/mcp-probe.js";
import { pooledHttp } from "../health/pooled-http.js";
import type { Prober } from "../orchestrate/heal.js";
import { credentialLookup, defaultCredentialsFile } from "../orchestrate/credentials.js";
import { loadPlan, type PlanSource } from "../load/load-plan.js";
import { McpsError, UsageError } from "../errors.js";
import { watchConfig } from "./config-watch.js";
import { EventStream } from "./event-stream.js";
import { FleetStore } from "./fleet-store.js";
import { FleetSync, type ServeProber } from "./fleet-sync.js";
import { apiServer } from "./http-server.js";
import { IdleTracker } from "./idle-tracker.js";
import { serveMetrics } from "./metrics.js";
import { Operations } from "./operations.js";
import type { ServeOptions } from "./options.js";
import { type Guard, guardFor } from "./security.js";
import type { Gateway } from "../gateway/gateway.js";
import type { SessionLimits } from "../gateway/legacy-sessions.js";
import { serveGateway } from "../gateway/serve-gateway.js";
import { isLoopback } from "./options.js";

export interface ServeDeps {
  engine: ContainerEngine;
  log: (line: string) => void;
  /** Wall clock for idle stop and timestamps; tests move it. */
  now?: () => number;
  /** The MCP probe; default the host probe of health/. */
  probe?: Prober;
  /** How often the idle sweep looks; default a quarter of the idle time, at most 30 s. */
  idleSweepMs?: number;
  /** How long a switch waits for a server to answer; default 60 s. */
  switchWaitMs?: number;
  assetsDir?: URL;
  /** Where the gateway reads customers' token variables; default process.env. */
  env?: NodeJS.ProcessEnv;
  /** How long a client may take to send a request; default REQUEST_TIMEOUT_MS (http-server.ts). */
  requestTimeoutMs?: number;
  /** Bounds of the gateway's 2025 sessions; tests make them small. */
  gatewaySessions?: Partial<SessionLimits>;
}

export interface ServeHandle {
  url: string;
  port: number;
  store: FleetStore;
  ops: Operations;
  /** The /mcp/<customer> endpoints (tests read its session count). */
  gateway: Gateway;
  /** Reloads the config now (the watch calls it too). */
  reload(): Promise<void>;
  sweepIdle(): Promise<string[]>;
  close(): Promise<void>;
}

const LISTEN_PROBLEMS: Record<string, string> = {
  EADDRINUSE: "the address is in use (another mcps serve?)",
  EACCES: "permission denied (ports below 1024 need privileges)",
  EADDRNOTAVAIL: "this host has no such address",
};

/** A listen failure is the --listen option's problem: one line, exit 2, not an unexpected error. */
function listenError(opts: ServeOptions, e: unknown): Error {
  const code = (e as NodeJS.ErrnoException)?.code ?? "";
  const shown = opts.host.includes(":") ? `[${opts.host}]:${opts.port}` : `${opts.host}:${opts.port}`;
  return new UsageError(`--listen ${shown}: ${LISTEN_PROBLEMS[code] ?? `cannot listen (${code || "unknown error"})`}`);
}

const firstLines = (e: unknown) => (e instanceof McpsError ? e.lines() : [String((e as Error)?.message ?? e)]);

export async function runServe(src: PlanSource, opts: ServeOptions, deps: ServeDeps): Promise<ServeHandle> {
  const now = deps.now ?? Date.now;
  const { plan, warnings } = await loadPlan(src);
  for (const w of warnings) deps.log(`mcps: warning: ${w}`);
  await deps.engine.ping();
  const store = new FleetStore(plan, now);
  const metrics = serveMetrics(store);
  const probe = deps.probe ?? probeMcp;
  // Held for the life of serve: a 2026-07-28 server's probe is then one round trip (tools/list), and
  // the repeated probes of a server reuse its keep-alive connections; close() ends them.
  const memory: RevisionMemory = new Map();
  const http = deps.probe ? undefined : pooledHttp();
  const hostProbe: Prober = (url, transport, o) => probe(url, transport, { memory, ...(http && { http }), ...o });
  const prober: ServeProber = async (s, timeoutMs) => {
    const t0 = performance.now();
    const r = await hostProbe(s.url, s.transport, { timeoutMs });
    metrics.observeProbe(s.customerId, s.type, (performance.now() - t0) / 1000, r.ok);
    return r;
  };
  const idle = opts.idleStopMs === undefined ? undefined : new IdleTracker(opts.idleStopMs, now);
  const sync = new FleetSync({
    engine: deps.engine,
    store,
    prober,
    probeIntervalMs: opts.probeIntervalMs,
    log: deps.log,
    onStarted: (c) => idle?.touchIfUnknown(c),
  });
  const ops = new Operations({
    engine: deps.engine,
    store,
    prober,
    waitProbe: hostProbe,
    lookup: () => credentialLookup(store.plan.envFile ?? defaultCredentialsFile(src.config)),
    ...(idle && { idle }),
    waitMs: deps.switchWaitMs ?? 60_000,
    buildArgs: opts.buildArgs,
    // Each reconcile runs its services 16 at once already; four customers at once keep a burst of
    // switches from queueing behind one another without flooding the engine.
    parallel: 4,
    log: deps.log,
    onSwitched: (c, s) => metrics.observeSwitch(c, s),
  });
  await sync.start();
  // Found running now: counts as used now.
  for (const v of store.servers()) if (v.state === "running") idle?.touch(v.customer);

  const events = new EventStream();
  const unsubscribe = store.on((name, data) => events.send(name, data));
  // Filled in once the port is known (port 0 picks one): until then nothing is accepted.
  const guard: Guard = { allowedHosts: new Set() };
  const gateway = serveGateway({
    store,
    ops,
    opts,
    registry: metrics.registry,
    log: deps.log,
    exposed: !isLoopback(opts.host),
    ...(idle && { idle }),
    ...(deps.env && { env: deps.env }),
    ...(deps.gatewaySessions && { sessions: deps.gatewaySessions }),
  });
  const ctx = { store, ops, events, metrics, gateway, ...(deps.assetsDir && { assetsDir: deps.assetsDir }) };
  const server = apiServer(ctx, guard, deps.log, deps.requestTimeoutMs);
  try {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(opts.port, opts.host, () => resolve());
    });
  } catch (e) {
    // The sync already follows events and probes on a timer: left running, the process would never exit.
    sync.close();
    unsubscribe();
    events.close();
    await gateway.close();
    await http?.close();
    throw listenError(opts, e);
  }
  const port = (server.address() as AddressInfo).port;
  Object.assign(guard, guardFor({ host: opts.host, port }, opts.token));

  const reload = async () => {
    try {
      const next = (await loadPlan(src)).plan;
      const projectChanged = next.project !== store.plan.project;
      store.setPlan(next);
      await sync.resync();
      if (projectChanged) sync.follow();
      void sync.probeAll();
      deps.log(`mcps serve: reloaded ${src.config} (${next.services.length} services)`);
    } catch (e) {
      const lines = firstLines(e);
      store.configFailed(lines.join("; "));
      deps.log(`mcps serve: reload failed, still serving the last good config: ${lines.join("; ")}`);
    }
  };
  const watcher = watchConfig({ config: src.config, catalog: src.catalog }, () => void reload());
  const sweepMs = deps.idleSweepMs ?? Math.min(30_000, Math.max(1000, (opts.idleStopMs ?? 0) / 4));
  const sweeper =
    idle && setInterval(() => void ops.sweepIdle().catch((e) => deps.log(`mcps serve: idle stop failed: ${(e as Error).message}`)), sweepMs);

  const hostShown = opts.host.includes(":") ? `[${opts.host}]` : opts.host;
  return {
    url: `http://${hostShown}:${port}`,
    port,
    store,
    ops,
    gateway: gateway.gateway,
    reload,
    sweepIdle: () => ops.sweepIdle(),
    async close() {
      watcher.close();
      if (sweeper) clearInterval(sweeper);
      sync.close();
      unsubscribe();
      events.close();
      await gateway.close();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      await http?.close();
    },
  };
}
