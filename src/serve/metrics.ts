/**
 * GET /metrics: a prom-client Registry of serve's own (never the global default, so two servers in
 * one process, as in tests, do not share series). Gauges read the held view at scrape time; the
 * histograms are observed as probes and switches happen. Labels are ids and type names, never values.
 */
import { Counter, Gauge, Histogram, Registry } from "prom-client";
import type { FleetStore } from "./fleet-store.js";

export interface ServeMetrics {
  registry: Registry;
  observeProbe(customer: string, type: string, seconds: number, ok: boolean): void;
  observeSwitch(customer: string, seconds: number): void;
}

export function serveMetrics(store: FleetStore): ServeMetrics {
  const registry = new Registry();
  const labelNames = ["customer", "type"] as const;
  new Gauge({
    name: "mcps_service_up",
    help: "1 when the service's verdict is ok (it runs, is current and answers MCP), else 0",
    labelNames,
    registers: [registry],
    collect() {
      this.reset();
      for (const v of store.servers()) this.set({ customer: v.customer, type: v.type }, v.ok ? 1 : 0);
    },
  });
  const kinds = ["ok", "failing", "starting", "stale", "misconfigured", "stopped"] as const;
  new Gauge({
    name: "mcps_service_verdict",
    help: "1 for the service's verdict (the one mcps status gives: ok, failing, starting, stale, misconfigured, stopped), 0 for the others",
    labelNames: ["customer", "type", "verdict"],
    registers: [registry],
    collect() {
      this.reset();
      for (const v of store.servers()) for (const k of kinds) this.set({ customer: v.customer, type: v.type, verdict: k }, v.verdict === k ? 1 : 0);
    },
  });
  new Gauge({
    name: "mcps_mcp_tools",
    help: "Tools of the service's latest probe that the gateway's tool policy exposes (hidden ones not counted); 0 when that probe failed or the container is not running",
    labelNames,
    registers: [registry],
    collect() {
      this.reset();
      for (const v of store.servers()) this.set({ customer: v.customer, type: v.type }, v.tools.length);
    },
  });
  new Counter({
    name: "mcps_container_restarts_total",
    help: "Restarts of the service's container, as the engine counts them",
    labelNames,
    registers: [registry],
    collect() {
      this.reset();
      for (const v of store.servers()) this.inc({ customer: v.customer, type: v.type }, v.restarts);
    },
  });
  new Gauge({
    name: "mcps_container_exit_code",
    help: "Exit code of the service's container while it is exited (137: killed with SIGKILL, as docker kill does); no series while it runs or has no container",
    labelNames,
    registers: [registry],
    collect() {
      this.reset();
      for (const s of store.plan.services) {
        const c = store.held.byName(s.containerName);
        if (c?.state === "exited" && c.exitCode !== undefined) this.set({ customer: s.customerId, type: s.type }, c.exitCode);
      }
    },
  });
  const probe = new Histogram({
    name: "mcps_mcp_probe_duration_seconds",
    help: "Time of an MCP probe (initialize, tools/list, close)",
    labelNames: ["customer", "type", "result"],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const sw = new Histogram({
    name: "mcps_switch_duration_seconds",
    help: "Time of POST /api/customers/switch, start included",
    labelNames: ["customer"],
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60],
    registers: [registry],
  });
  return {
    registry,
    observeProbe: (customer, type, seconds, ok) => probe.observe({ customer, type, result: ok ? "ok" : "fail" }, seconds),
    observeSwitch: (customer, seconds) => sw.observe({ customer }, seconds),
  };
}
