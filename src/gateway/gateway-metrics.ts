/**
 * The gateway's series on serve's registry. Tool names come from the servers, so the `tool` label is
 * bounded: past MAX_TOOLS_PER_TYPE names for one (customer, type) every further name is "other".
 */
import { Counter, Gauge, Histogram, type Registry } from "prom-client";
import type { CallRecord } from "./gateway-server.js";

const MAX_TOOLS_PER_TYPE = 64;

export function gatewayMetrics(registry: Registry): (r: CallRecord) => void {
  const calls = new Counter({
    name: "mcps_tool_calls_total",
    help: "tools/call requests through the gateway, by outcome (ok, tool_error, error, denied, unavailable)",
    labelNames: ["customer", "type", "tool", "outcome"],
    registers: [registry],
  });
  const duration = new Histogram({
    name: "mcps_tool_call_duration_seconds",
    help: "Time of a tools/call through the gateway, backend included",
    labelNames: ["customer", "type"],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  const named = new Map<string, Set<string>>();
  const toolLabel = (r: CallRecord): string => {
    const key = `${r.customer} ${r.type}`;
    const names = named.get(key) ?? new Set<string>();
    named.set(key, names);
    if (names.has(r.tool)) return r.tool;
    if (names.size >= MAX_TOOLS_PER_TYPE || r.tool === "") return "other";
    names.add(r.tool);
    return r.tool;
  };
  return (r) => {
    calls.inc({ customer: r.customer, type: r.type, tool: toolLabel(r), outcome: r.outcome });
    duration.observe({ customer: r.customer, type: r.type }, r.durationMs / 1000);
  };
}

/**
 * Open 2025 sessions per customer, read at scrape time; every customer of the plan has a series (0
 * when it has none), so the count is bounded by the config, and a panel always has data.
 */
export function gatewaySessionGauge(registry: Registry, customers: () => Iterable<string>, open: () => ReadonlyMap<string, number>): void {
  new Gauge({
    name: "mcps_gateway_sessions",
    help: "Open 2025-11-25 sessions on the customer's gateway endpoint (bounded per customer and per serve)",
    labelNames: ["customer"],
    registers: [registry],
    collect() {
      this.reset();
      const counts = open();
      for (const c of customers()) this.set({ customer: c }, counts.get(c) ?? 0);
    },
  });
}
