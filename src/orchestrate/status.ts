/**
 * status: one engine query by label for the whole fleet, then MCP probes in parallel through the
 * published ports. A service is ok when it runs and answers MCP.
 */
import pLimit from "p-limit";
import type { ContainerEngine, Health, RunState } from "../engine/container-engine.js";
import { probeMcp, type ProbeResult } from "../health/mcp-probe.js";
import { LABEL, type Plan, type ServicePlan } from "../plan/types.js";

export interface ServiceStatus {
  service: string;
  customer: string;
  type: string;
  state: RunState | "missing";
  health: Health;
  mcp: ProbeResult | null;
  url: string;
  /** Docker's phrase for how long it has been up, e.g. "3 minutes". */
  uptime: string | null;
  stale: boolean;
  orphan: boolean;
  ok: boolean;
}

export interface StatusReport {
  services: ServiceStatus[];
  summary: { total: number; ok: number; running: number; missing: number; unhealthy: number; stale: number; orphans: number };
}

const uptimeOf = (status: string) => (/^Up (.+?)(?: \(.*\))?$/.exec(status)?.[1] ?? null);

export async function fleetStatus(engine: ContainerEngine, plan: Plan, services: ServicePlan[], opts: { probe: boolean; concurrency: number; timeoutMs: number; includeOrphans: boolean }): Promise<StatusReport> {
  const containers = await engine.list({ [LABEL.project]: plan.project });
  const byService = new Map(containers.map((c) => [c.labels[LABEL.service] ?? c.name, c]));
  const limit = pLimit(opts.concurrency);
  const rows = await Promise.all(
    services.map((s) =>
      limit(async (): Promise<ServiceStatus> => {
        const c = byService.get(s.name);
        const running = c?.state === "running";
        const mcp = running && opts.probe ? await probeMcp(s.url, s.transport, { timeoutMs: opts.timeoutMs }) : null;
        // Without probes, Docker's own health check (itself an MCP initialize) is the evidence.
        const ok = running && (opts.probe ? mcp!.ok : c!.health === "healthy" || c!.health === "none");
        return {
          service: s.name,
          customer: s.customerId,
          type: s.type,
          state: c?.state ?? "missing",
          health: c?.health ?? "none",
          mcp,
          url: s.url,
          uptime: c && running ? uptimeOf(c.status) : null,
          stale: !!c && c.labels[LABEL.hash] !== s.hash,
          orphan: false,
          ok,
        };
      }),
    ),
  );
  const planned = new Set(plan.services.map((s) => s.name));
  const orphans: ServiceStatus[] = opts.includeOrphans
    ? containers
        .filter((c) => !planned.has(c.labels[LABEL.service] ?? c.name))
        .map((c) => ({
          service: c.labels[LABEL.service] ?? c.name,
          customer: c.labels[LABEL.customer] ?? "",
          type: c.labels[LABEL.type] ?? "",
          state: c.state,
          health: c.health,
          mcp: null,
          url: "",
          uptime: c.state === "running" ? uptimeOf(c.status) : null,
          stale: false,
          orphan: true,
          ok: true,
        }))
    : [];
  const all = [...rows, ...orphans];
  return {
    services: all,
    summary: {
      total: rows.length,
      ok: rows.filter((r) => r.ok).length,
      running: rows.filter((r) => r.state === "running").length,
      missing: rows.filter((r) => r.state === "missing").length,
      unhealthy: rows.filter((r) => r.health === "unhealthy").length,
      stale: rows.filter((r) => r.stale).length,
      orphans: orphans.length,
    },
  };
}
