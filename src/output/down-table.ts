/** What `mcps down` removed, for people: one row per container and network, then the totals. */
import type { DownResult } from "../orchestrate/down.js";
import { table } from "./table.js";

export function downTable(r: DownResult): string {
  const rows = [
    ...r.containers.map((c) => [c.name, "container", c.action, c.reason ?? ""]),
    ...r.networks.map((n) => [n.name, "network", n.action, n.reason ?? ""]),
  ];
  const removed = (xs: Array<{ action: string }>) => xs.filter((x) => x.action === "removed").length;
  return `${rows.length ? table(["NAME", "KIND", "ACTION", "REASON"], rows) : ""}Removed ${removed(r.containers)} containers and ${removed(r.networks)} networks of project ${r.project}\n`;
}
