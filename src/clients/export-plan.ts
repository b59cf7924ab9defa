/**
 * Pure: a plan, a format as typed and the customers as typed -> the file. The one entry point the
 * CLI and the HTTP API share, so both select and render the same way. Throws UsageError for an
 * unknown format or customer (the API can tell them apart first with isClientFormat/resolveCustomer).
 */
import { selectServices } from "../plan/select.js";
import type { Plan } from "../plan/types.js";
import { CLIENT_FILES, parseClientFormat } from "./client-format.js";
import { gatewayBase, gatewayEntries } from "./gateway-entries.js";
import { gatewayClientText } from "./gateway-formats.js";
import { renderClientConfig, type RenderedClientConfig } from "./render-client-config.js";

export interface PlanClientConfig extends RenderedClientConfig {
  servers: number;
  customers: number;
}

/** via: "gateway" points each customer's one entry at `mcps serve`'s /mcp/<customer> (at gatewayUrl). */
export function clientConfigForPlan(
  plan: Plan,
  format: string | undefined,
  customers: readonly string[],
  via?: { gatewayUrl?: string },
): PlanClientConfig {
  const checked = parseClientFormat(format);
  const services = selectServices(plan, { customers: [...customers] });
  if (via) {
    const entries = gatewayEntries(services, gatewayBase(via.gatewayUrl));
    return { text: gatewayClientText(checked, entries), ...CLIENT_FILES[checked], servers: entries.length, customers: entries.length };
  }
  return { ...renderClientConfig(checked, services), servers: services.length, customers: new Set(services.map((s) => s.customerId)).size };
}
