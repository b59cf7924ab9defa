/**
 * What the engine last told us: containers (inspected), networks and image IDs. Kept up to date by
 * fleet-sync.ts from Docker events, and read by `status` rules as if it were the engine, so
 * GET /api/status is the `mcps status --json` document without a query per request.
 */
import type { ContainerDetails, ContainerState, Labels, NetworkState } from "../engine/container-engine.js";
import type { StatusEngine } from "../orchestrate/status.js";

const matches = (labels: Labels, selector: Labels) => Object.entries(selector).every(([k, v]) => labels[k] === v);

export class HeldEngine implements StatusEngine {
  readonly containers = new Map<string, ContainerDetails>();
  networks: NetworkState[] = [];
  readonly images = new Map<string, string | undefined>();

  async list(selector: Labels): Promise<ContainerState[]> {
    return [...this.containers.values()].filter((c) => matches(c.labels, selector));
  }
  async inspect(id: string): Promise<ContainerDetails | undefined> {
    return this.containers.get(id);
  }
  async listNetworks(selector: Labels): Promise<NetworkState[]> {
    return this.networks.filter((n) => matches(n.labels, selector));
  }
  async imageId(ref: string): Promise<string | undefined> {
    return this.images.get(ref);
  }
  byName(name: string): ContainerDetails | undefined {
    for (const c of this.containers.values()) if (c.name === name) return c;
    return undefined;
  }
}
