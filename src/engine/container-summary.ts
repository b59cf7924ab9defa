/** Docker's container list entries and label selectors, in our words. */
import type Docker from "dockerode";
import type { ContainerState, Health, Labels, PublishedPort, RunState } from "./container-engine.js";

export function labelFilter(selector: Labels): string[] {
  return Object.entries(selector).map(([k, v]) => `${k}=${v}`);
}

export function healthOf(status: string): Health {
  if (status.includes("(healthy)")) return "healthy";
  if (status.includes("(unhealthy)")) return "unhealthy";
  if (status.includes("(health: starting)")) return "starting";
  return "none";
}

/** Docker lists a published port once per address family (0.0.0.0 and ::); unpublished ones have no PublicPort. */
function publishedOf(c: Docker.ContainerInfo): PublishedPort[] {
  const seen = new Map<string, PublishedPort>();
  for (const p of c.Ports ?? []) {
    if (!p.PublicPort || (p.Type && p.Type !== "tcp")) continue;
    const hostIp = p.IP ?? "0.0.0.0";
    seen.set(`${hostIp}:${p.PublicPort}`, { hostIp, port: p.PublicPort });
  }
  return [...seen.values()];
}

export function toState(c: Docker.ContainerInfo): ContainerState {
  const published = publishedOf(c);
  return {
    id: c.Id,
    name: (c.Names[0] ?? "").replace(/^\//, ""),
    labels: c.Labels ?? {},
    state: c.State as RunState,
    health: healthOf(c.Status),
    status: c.Status,
    imageId: c.ImageID,
    ...(published.length && { published }),
  };
}
