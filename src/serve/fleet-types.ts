/**
 * The fleet as `mcps serve` holds it and hands it to the dashboard (GET /api/fleet, GET /api/events).
 * A contract with the dashboard: change a field here and the page must follow.
 */

export type ServerState = "running" | "created" | "restarting" | "paused" | "exited" | "dead" | "removing" | "missing";
export type ServerHealth = "healthy" | "unhealthy" | "starting" | "none";

/** One planned (customer, type): its container and its last MCP probe. Never a secret value. */
export interface ServerView {
  /** The customer's id. */
  customer: string;
  customerName: string;
  type: string;
  /** mcp-<type>-<customer-id>. */
  service: string;
  url: string;
  transport: "streamable-http" | "sse";
  state: ServerState;
  health: ServerHealth;
  /** The verdict `mcps status` gives it too (src/orchestrate/verdict.ts); the page maps it to colour, icon and word. */
  verdict: "ok" | "failing" | "starting" | "stale" | "misconfigured" | "stopped";
  /** verdict is ok: running, current, answering MCP. */
  ok: boolean;
  /** Round trip of the last successful probe's first answer; null when it did not answer. */
  latencyMs: number | null;
  /** Tool names from the last successful tools/list that the gateway's policy exposes. */
  tools: string[];
  /** How many tools that listing had, hidden ones included. */
  toolsTotal: number;
  /** The MCP revision it last answered in ("2026-07-28", "2025-11-25", ...); null when it did not answer. */
  protocolVersion: string | null;
  /** The verdict's reason: why it is not ok (one line), or null. */
  error: string | null;
  restarts: number;
  /** ISO 8601 time of the last probe; null when never probed. */
  probedAt: string | null;
}

export type CustomerState = "running" | "partial" | "stopped";

export interface CustomerView {
  id: string;
  name: string;
  mcp_types: string[];
  state: CustomerState;
}

export interface FleetView {
  project: string;
  customers: CustomerView[];
  types: string[];
  servers: ServerView[];
  /** The last reload attempt: ok false while a bad config is on disk (the last good plan keeps serving). */
  config: { ok: boolean; error: string | null; loadedAt: string };
}

/** The data of a `config` event. */
export interface ConfigEvent {
  ok: boolean;
  error: string | null;
  /** Number of planned services now served. */
  services: number;
}

/** The data of a `customer` event: its state changed (all, some or none of its servers running). */
export interface CustomerEvent {
  id: string;
  state: CustomerState;
}

export type FleetEventName = "state" | "health" | "probe" | "config" | "customer";
