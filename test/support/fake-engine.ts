/** An in-memory ContainerEngine for unit tests of the orchestrator (integration tests use Docker). */
import type { BuildSpec, ContainerEngine, ContainerSpec, ContainerState, Labels, NetworkState } from "../../src/engine/container-engine.js";

interface FakeContainer extends ContainerState {
  spec?: ContainerSpec;
}

export class FakeEngine implements ContainerEngine {
  readonly endpoint = "fake://engine";
  containers = new Map<string, FakeContainer>();
  networks = new Map<string, NetworkState>();
  images = new Set<string>();
  calls: string[] = [];
  failCreate = new Set<string>();
  private seq = 0;

  private nextId = () => `id${++this.seq}`;
  private matches = (labels: Labels, selector: Labels) => Object.entries(selector).every(([k, v]) => labels[k] === v);

  async ping(): Promise<void> {}
  async list(selector: Labels): Promise<ContainerState[]> {
    return [...this.containers.values()].filter((c) => this.matches(c.labels, selector)).map((c) => ({ ...c }));
  }
  async findByName(name: string): Promise<ContainerState | undefined> {
    return [...this.containers.values()].find((c) => c.name === name);
  }
  async listNetworks(selector: Labels): Promise<NetworkState[]> {
    return [...this.networks.values()].filter((n) => this.matches(n.labels, selector));
  }
  async createNetwork(name: string, labels: Labels): Promise<string> {
    const id = this.nextId();
    this.calls.push(`createNetwork ${name}`);
    this.networks.set(id, { id, name, labels, createdAt: String(this.seq).padStart(6, "0") });
    return id;
  }
  async removeNetwork(id: string): Promise<void> {
    this.calls.push(`removeNetwork ${id}`);
    this.networks.delete(id);
  }
  async imageExists(ref: string): Promise<boolean> {
    return this.images.has(ref);
  }
  async build(spec: BuildSpec): Promise<void> {
    this.calls.push(`build ${spec.tag} BASE_IMAGE=${spec.buildArgs.BASE_IMAGE}`);
    this.images.add(spec.tag);
  }
  async create(spec: ContainerSpec): Promise<string> {
    if (this.failCreate.has(spec.name)) throw new Error(`create ${spec.name}: port is already allocated`);
    if ([...this.containers.values()].some((c) => c.name === spec.name)) throw Object.assign(new Error("Conflict"), { statusCode: 409 });
    const id = this.nextId();
    this.calls.push(`create ${spec.name}`);
    this.containers.set(id, { id, name: spec.name, labels: spec.labels, state: "created", health: "none", status: "Created", spec });
    return id;
  }
  async start(id: string): Promise<void> {
    this.calls.push(`start ${this.containers.get(id)?.name}`);
    Object.assign(this.containers.get(id)!, { state: "running", health: "healthy", status: "Up 2 seconds (healthy)" });
  }
  async stop(id: string): Promise<void> {
    const c = this.containers.get(id);
    if (!c) return;
    this.calls.push(`stop ${c.name}`);
    Object.assign(c, { state: "exited", health: "none", status: "Exited (0) 1 second ago" });
  }
  async remove(id: string): Promise<void> {
    this.calls.push(`remove ${this.containers.get(id)?.name}`);
    this.containers.delete(id);
  }
  async logs(): Promise<void> {}

  /** A container someone else made, by hand. */
  addForeign(name: string, labels: Labels = {}): void {
    const id = this.nextId();
    this.containers.set(id, { id, name, labels, state: "running", health: "none", status: "Up 1 hour" });
  }
}
