/** `mcps status --target swarm` for people (a table) and scripts (one JSON document). */
import { table } from "./table.js";
import { type SwarmStatusReport, swarmAllOk } from "../orchestrate/swarm-verdicts.js";

const probeCell = (p: SwarmStatusReport["services"][number]["probe"]) => (p === undefined ? "-" : p.ok ? `ok ${p.ms}ms` : "failed");

export function swarmStatusTable(r: SwarmStatusReport): string {
  const rows = r.services.map((s) => [
    s.customer,
    s.type,
    s.swarmService ?? "-",
    `${s.running}/${s.desired}`,
    s.state,
    probeCell(s.probe),
    s.lastError ?? "-",
  ]);
  let text = table(["CUSTOMER", "TYPE", "SWARM SERVICE", "REPLICAS", "STATE", "MCP", "LAST TASK ERROR"], rows);
  for (const s of r.services) if (s.reason) text += `  ${s.customer} ${s.type}: ${s.reason}\n`;
  return text;
}

export function swarmStatusJson(r: SwarmStatusReport): unknown {
  return { target: "swarm", project: r.project, ok: swarmAllOk(r), services: r.services };
}
