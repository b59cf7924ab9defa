/** Docker's container list entries and label selectors, in our words. */
import type Docker from "dockerode";
import type { ContainerState, Health, Labels, RunState } from "./container-engine.js";

export function labelFilter(selector: Labels): string[] {
  return Object.entries(selector).map(([k, v]) => `${k}=${v}`);
}

export function healthOf(status: string): Health {
  if (status.includes("(healthy)")) return "healthy";
  if (status.includes("(unhealthy)")) return "unhealthy";
  if (status.includes("(health: starting)")) return "starting";
  return "none";
}

export function toState(c: Docker.ContainerInfo): ContainerState {
  return {
    id: c.Id,
    name: (c.Names[0] ?? "").replace(/^\//, ""),
    labels: c.Labels ?? {},
    state: c.State as RunState,
    health: healthOf(c.Status),
    status: c.Status,
    imageId: c.ImageID,
  };
}
