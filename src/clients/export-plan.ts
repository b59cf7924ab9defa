/**
 * Pure: a plan, a format as typed and the customers as typed -> the file. The one entry point the
 * CLI and the HTTP API share, so both select and render the same way. Throws UsageError for an
 * unknown format or customer (the API can tell them apart first with isClientFormat/resolveCustomer).
 */
import { selectServices } from "../plan/select.js";
import type { Plan } from "../plan/types.js";
import { parseClientFormat } from "./client-format.js";
import { renderClientConfig, type RenderedClientConfig } from "./render-client-config.js";

export interface PlanClientConfig extends RenderedClientConfig {
  servers: number;
  customers: number;
}

export function clientConfigForPlan(plan: Plan, format: string | undefined, customers: readonly string[]): PlanClientConfig {
  const checked = parseClientFormat(format);
  const services = selectServices(plan, { customers: [...customers] });
  return { ...renderClientConfig(checked, services), servers: services.length, customers: new Set(services.map((s) => s.customerId)).size };
}
