/**
 * `status` for people. The default table fits 80 columns (customer, type, state, health, MCP, tools,
 * latency); every row that is not ok gets one line under it saying why. `--wide` adds the rest as columns.
 */
import type { ServiceStatus, StatusReport } from "../orchestrate/status.js";
import { clip, fittedTable, table } from "./table.js";

export const TABLE_WIDTH = 80;

const HEADERS = ["CUSTOMER", "TYPE", "STATE", "HEALTH", "MCP", "TOOLS", "MS"];
const WIDE_HEADERS = [...HEADERS, "URL", "EXIT", "RESTARTS", "IMAGE", "CREATED", "STREAK", "PROTOCOL", "SERVER", "NOTE"];

function mcpCell(s: ServiceStatus): string {
  if (s.orphan) return "orphan";
  if (s.verdict === "starting") return "starting";
  if (s.verdict === "stopped") return "stopped";
  if (!s.mcp) return "-";
  return s.mcp.ok ? "ok" : "FAIL";
}

function cells(s: ServiceStatus): string[] {
  return [
    s.customer || "-",
    s.type || "-",
    s.state,
    s.health,
    mcpCell(s),
    s.mcp?.tools ? String(s.mcp.tools.length) : "-",
    s.mcp?.ok ? String(Math.round(s.mcp.latencyMs)) : "-",
  ];
}

function wideCells(s: ServiceStatus): string[] {
  const d = s.details;
  const exited = d && (s.state !== "running" || d.restartCount > 0);
  return [
    ...cells(s),
    s.url || "-",
    exited ? String(d.exitCode) : "-",
    d ? String(d.restartCount) : "-",
    s.image ?? s.imageId?.slice(0, 19) ?? "-",
    d?.createdAt || "-",
    d && s.health !== "none" ? String(d.healthFailingStreak) : "-",
    s.mcp?.protocolVersion ?? "-",
    s.mcp?.serverName ?? "-",
    s.note || "-",
  ];
}

/** "28/30 ok; 1 starting, 1 stale, 2 orphans (1 not ok)": only the counts that are not zero. */
export function summaryLine(r: StatusReport): string {
  const m = r.summary;
  const extra = [
    m.starting && `${m.starting} starting`,
    m.stopped && `${m.stopped} stopped`,
    m.missing && `${m.missing} missing`,
    m.unhealthy && `${m.unhealthy} unhealthy`,
    m.stale && `${m.stale} stale`,
    m.orphans && `${m.orphans} orphan${m.orphans === 1 ? "" : "s"}${m.orphansNotOk ? ` (${m.orphansNotOk} not ok)` : ""}`,
  ].filter(Boolean);
  return `${m.ok}/${m.total} ok${extra.length ? `; ${extra.join(", ")}` : ""}${r.probed ? "" : " (no MCP probe)"}`;
}

export function statusTable(r: StatusReport, opts: { wide: boolean }): string {
  if (opts.wide) return `${table(WIDE_HEADERS, r.services.map(wideCells))}${summaryLine(r)}\n`;
  // Customer first, then type, give up width when names are long.
  const body = fittedTable(HEADERS, r.services.map(cells), TABLE_WIDTH, [0, 1]);
  const why = r.services.filter((s) => !s.ok && s.note).map((s) => clip(`  ${s.customer || "-"} ${s.type || s.service}: ${s.note}`, TABLE_WIDTH));
  return `${body}${why.map((l) => `${l}\n`).join("")}${clip(summaryLine(r), TABLE_WIDTH)}\n`;
}
