/**
 * Stable host ports. A service keeps the port it had in the previous generated file; a new service
 * gets a port derived from a hash of its name, probing upward past ports already taken. So adding,
 * removing or reordering customers never moves another service's port. Pinned ports always win,
 * and a pin that would take a port another service already holds is an error, not a silent move.
 *
 * Service names repeat across projects (the same customers and types), so in any project but the
 * default one the hash also covers the project name: two projects on one engine then land on
 * different ports without a port range each. The default project hashes the name alone, which keeps
 * the ports every existing file and container already has.
 */
import { createHash } from "node:crypto";
import { shown } from "../config/safe-text.js";
import { DEFAULT_PROJECT } from "./names.js";

export interface PortRequest {
  name: string;
  /** A port the config pins, and where it was pinned (for messages). */
  pinned?: { port: number; at: string };
}

export interface PortRange {
  from: number;
  to: number;
}

export interface PortProblem {
  at: string;
  message: string;
}

/** What a fresh port is derived from. */
function portSeed(project: string, name: string): string {
  return project === DEFAULT_PROJECT ? name : `${project}/${name}`;
}

function hashSlot(seed: string, size: number): number {
  return createHash("sha256").update(seed).digest().readUInt32BE(0) % size;
}

export function assignPorts(
  requests: PortRequest[],
  range: PortRange,
  previous: ReadonlyMap<string, number>,
  project: string = DEFAULT_PROJECT,
): { ports: Map<string, number>; problems: PortProblem[] } {
  const ports = new Map<string, number>();
  const owner = new Map<number, string>();
  const problems: PortProblem[] = [];
  const pinnedAt = new Map<number, string>();

  for (const r of requests) {
    if (!r.pinned) continue;
    const { port, at } = r.pinned;
    const first = pinnedAt.get(port);
    if (first) {
      problems.push({ at, message: `port ${port} is already pinned at ${first}` });
      continue;
    }
    pinnedAt.set(port, at);
    ports.set(r.name, port);
    owner.set(port, r.name);
  }
  const free = requests.filter((r) => !r.pinned);
  for (const r of free) {
    const before = previous.get(r.name);
    if (before === undefined || before < range.from || before > range.to) continue;
    const holder = owner.get(before);
    if (holder === undefined) {
      ports.set(r.name, before);
      owner.set(before, r.name);
    } else {
      const at = requests.find((q) => q.name === holder)?.pinned?.at;
      // Held by a pin: the pin moves, not a running service. Held by another service of the previous
      // file (edited by hand): this one simply gets a fresh port below.
      if (at) problems.push({ at, message: `port ${before} is already used by ${shown(r.name)}; pin another port` });
    }
  }
  const size = range.to - range.from + 1;
  const fresh = free.filter((r) => !ports.has(r.name)).sort((a, b) => (a.name < b.name ? -1 : 1));
  for (const [done, r] of fresh.entries()) {
    const start = hashSlot(portSeed(project, r.name), size);
    let port: number | undefined;
    for (let i = 0; i < size; i++) {
      const candidate = range.from + ((start + i) % size);
      if (!owner.has(candidate)) {
        port = candidate;
        break;
      }
    }
    if (port === undefined) {
      // The range is full, so every service still waiting fails too: one problem, where the range is set.
      const left = fresh.length - done;
      problems.push({
        at: "defaults.port_range",
        message: `${range.from}-${range.to} has no free port left for ${left} service${left === 1 ? "" : "s"}; widen the range`,
      });
      break;
    }
    ports.set(r.name, port);
    owner.set(port, r.name);
  }
  return { ports, problems };
}
