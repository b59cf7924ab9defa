/**
 * The gateway as `mcps serve` holds it: the Gateway over serve's store and single-flight switch, the
 * audit log (reopened on SIGHUP) and the call metrics on serve's registry.
 */
import type { Registry } from "prom-client";
import type { FleetStore } from "../serve/fleet-store.js";
import type { IdleTracker } from "../serve/idle-tracker.js";
import type { Operations } from "../serve/operations.js";
import type { ServeOptions } from "../serve/options.js";
import { AuditLog } from "./audit-log.js";
import { Gateway } from "./gateway.js";
import { gatewayMetrics, gatewaySessionGauge } from "./gateway-metrics.js";
import type { SessionLimits } from "./legacy-sessions.js";

export interface ServedGateway {
  gateway: Gateway;
  close(): Promise<void>;
}

export function serveGateway(d: {
  store: FleetStore;
  ops: Operations;
  opts: ServeOptions;
  registry: Registry;
  log: (line: string) => void;
  exposed: boolean;
  idle?: IdleTracker;
  env?: NodeJS.ProcessEnv;
  sessions?: Partial<SessionLimits>;
}): ServedGateway {
  const audit = d.opts.auditLog === undefined ? undefined : new AuditLog(d.opts.auditLog, d.log);
  const observe = gatewayMetrics(d.registry);
  const reopen = () => audit?.reopen();
  if (audit) process.on("SIGHUP", reopen);
  const gateway = new Gateway({
    store: d.store,
    wake: (id) => d.ops.switchTo(id),
    touch: (id) => d.idle?.touch(id),
    wakeTimeoutMs: d.opts.wakeTimeoutMs,
    ...(d.opts.token !== undefined && { adminToken: d.opts.token }),
    exposed: d.exposed,
    env: d.env ?? process.env,
    onCall: (r) => {
      observe(r);
      audit?.write(r);
    },
    log: d.log,
    ...(d.sessions && { sessions: d.sessions }),
  });
  gatewaySessionGauge(
    d.registry,
    () => d.store.customerIds(),
    () => gateway.sessions.perCustomer(),
  );
  return {
    gateway,
    async close() {
      if (audit) process.off("SIGHUP", reopen);
      await gateway.close();
      await audit?.close();
    },
  };
}
