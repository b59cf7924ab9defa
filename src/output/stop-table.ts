/** What `mcps stop` did, for people. */
import type { StopResult } from "../orchestrate/stop.js";
import { table } from "./table.js";

export function stopTable(services: StopResult[]): string {
  if (!services.length) return "nothing to stop\n";
  return table(
    ["SERVICE", "ACTION", "REASON"],
    services.map((s) => [s.service, s.action, s.reason ?? ""]),
  );
}
