/** What `mcps start` / `restart` did, for people; a failure's log lines follow the tables, indented, so the table stays one row per service. */
import type { CustomerResult, ServiceOutcome } from "../orchestrate/outcome.js";
import { describeAction } from "../orchestrate/outcome.js";
import { table } from "./table.js";

export function startTable(r: { services: ServiceOutcome[]; customers: CustomerResult[] }): string {
  const rows = r.services.map((s) => [s.service, describeAction(s), s.url, s.reason?.split("\n")[0] ?? ""]);
  let text = table(["SERVICE", "ACTION", "URL", "REASON"], rows);
  text += table(
    ["CUSTOMER", "CONNECTED", "FAILED"],
    r.customers.map((c) => [c.customer, c.connected_mcps.join(",") || "-", c.failed_mcps.map((f) => f.type).join(",") || "-"]),
  );
  for (const s of r.services) if (s.reason?.includes("\n")) text += `\n${s.service}: ${s.reason}\n`;
  return text;
}
