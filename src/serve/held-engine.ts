/**
 * What the engine last told us: containers (inspected), networks and image IDs. Kept up to date by
 * fleet-sync.ts from Docker events, and read by `status` rules as if it were the engine, so
 * GET /api/status is the `mcps status --json` document without a query per request.
 */
import type { ContainerDetails, ContainerState, Labels, NetworkState } from "../engine/container-engine.js";
import type { StatusEngine } from "../orchestrate/status.js";

const matches = (labels: Labels, selector: Labels) => Object.entries(selector).every(([k, v]) => labels[k] === v);

export class HeldEngine implements StatusEngine {
  /** By id; changed only through put() and drop(), which keep the name index beside it. */
  private readonly byId = new Map<string, ContainerDetails>();
  get containers(): ReadonlyMap<string, ContainerDetails> {
    return this.byId;
  }
  /** By name: every view refresh looks its container up by name, so that is no scan of all of them. */
  private readonly names = new Map<string, ContainerDetails>();
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
    return this.names.get(name);
  }

  put(d: ContainerDetails): void {
    const before = this.containers.get(d.id);
    if (before && this.names.get(before.name) === before) this.names.delete(before.name);
    this.byId.set(d.id, d);
    this.names.set(d.name, d);
  }

  drop(id: string): void {
    const c = this.containers.get(id);
    if (!c) return;
    this.byId.delete(id);
    if (this.names.get(c.name) === c) this.names.delete(c.name);
  }
}
