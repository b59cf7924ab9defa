/** Types of fleet.js (the page ships plain JS, no build step) for the node tests and editors. */

// The contract is serve's own: a change there that the page does not follow fails the type check.
import type { CustomerView, FleetView, ServerView } from "../../src/serve/fleet-types.js";

export type { CustomerView, FleetView, ServerView };
export type Tone = "ok" | "warn" | "bad" | "off" | "none";
export interface CellView {
  tone: Tone;
  icon: string;
  state: string;
  /** The verdict's word: ok, starting, stale, misconfigured, failing, stopped. */
  verdict?: string;
  health: string;
  mcp: string;
  latency: string;
  tools: string;
}
export type Change = { kind: "cell"; server: ServerView } | { kind: "customer"; customer: CustomerView } | { kind: "reload" } | { kind: "none" };
export interface SseEvent {
  type: string;
  data: string;
}

export function cellKey(customer: string, type: string): string;
export function cellView(server: ServerView | undefined): CellView;
export function matchesFilter(customer: CustomerView, query: string): boolean;
export function applyEvent(fleet: FleetView, event: { type: string; data: unknown }): Change;
export function sseParser(onEvent: (event: SseEvent) => void): (chunk: string) => void;
export function backoffMs(attempt: number, random?: () => number): number;
