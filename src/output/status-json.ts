/**
 * The `status --json` document: snake_case, ISO 8601 times, nulls for what does not apply (so every row
 * has the same keys), tools as names. Never a variable's value: misconfigured lists names only.
 */
import type { ServiceStatus, StatusReport } from "../orchestrate/status.js";

export interface StatusJsonRow {
  service: string;
  container: string | null;
  customer: string;
  type: string;
  ok: boolean;
  /** "ok", "starting" (inside the start period, not yet answering) or "fail". */
  verdict: string;
  state: string;
  health: string;
  url: string | null;
  image: string | null;
  image_id: string | null;
  created_at: string | null;
  started_at: string | null;
  finished_at: string | null;
  exit_code: number | null;
  restart_count: number | null;
  oom_killed: boolean | null;
  health_failing_streak: number | null;
  last_health_output: string | null;
  mcp: {
    ok: boolean;
    latency_ms: number;
    protocol_version: string | null;
    server_name: string | null;
    server_version: string | null;
    error: string | null;
  } | null;
  tools: string[] | null;
  stale: boolean;
  /** What differs from the plan: config, image, memory, cpus, pids, restart, port. */
  stale_reasons: string[];
  misconfigured: string[];
  orphan: boolean;
  note: string | null;
}

export function statusRowJson(s: ServiceStatus): StatusJsonRow {
  const d = s.details;
  return {
    service: s.service,
    container: s.container ?? null,
    customer: s.customer,
    type: s.type,
    ok: s.ok,
    verdict: s.verdict,
    state: s.state,
    health: s.health,
    url: s.url || null,
    image: s.image ?? null,
    image_id: s.imageId ?? null,
    created_at: d?.createdAt || null,
    started_at: d?.startedAt ?? null,
    finished_at: d?.finishedAt ?? null,
    exit_code: d ? d.exitCode : null,
    restart_count: d ? d.restartCount : null,
    oom_killed: d ? d.oomKilled : null,
    health_failing_streak: d ? d.healthFailingStreak : null,
    last_health_output: d?.lastHealthOutput ?? null,
    mcp: s.mcp && {
      ok: s.mcp.ok,
      latency_ms: s.mcp.latencyMs,
      protocol_version: s.mcp.protocolVersion ?? null,
      server_name: s.mcp.serverName ?? null,
      server_version: s.mcp.serverVersion ?? null,
      error: s.mcp.error ?? null,
    },
    tools: s.mcp?.tools ?? null,
    stale: s.stale.length > 0,
    stale_reasons: s.stale,
    misconfigured: s.misconfigured,
    orphan: s.orphan,
    note: s.note || null,
  };
}

export function statusJson(r: StatusReport) {
  const m = r.summary;
  return {
    project: r.project,
    checked_at: r.checkedAt,
    probed: r.probed,
    ok: r.services.every((s) => s.ok),
    services: r.services.map(statusRowJson),
    summary: {
      total: m.total,
      ok: m.ok,
      starting: m.starting,
      stopped: m.stopped,
      running: m.running,
      missing: m.missing,
      unhealthy: m.unhealthy,
      stale: m.stale,
      orphans: m.orphans,
      orphans_not_ok: m.orphansNotOk,
    },
  };
}
