/** An in-memory ContainerEngine for unit tests of the orchestrator (integration tests use Docker). */
import { ConflictError, EngineUnreachableError, NameTakenError, NotFoundError } from "../../src/errors.js";
import type {
  BuildSpec,
  ContainerDetails,
  ContainerEngine,
  ContainerEvent,
  ContainerSpec,
  ContainerState,
  Labels,
  NetworkState,
} from "../../src/engine/container-engine.js";
import type { HelperRunResult, HelperRunSpec, SwarmEngine, SwarmServiceState, SwarmTaskState } from "../../src/engine/swarm-engine.js";

interface FakeContainer extends ContainerState {
  spec?: ContainerSpec;
  /** The network a foreign container is attached to (ours carry it in spec.networkId). */
  network?: string;
  startedAt?: string;
  /** Overrides of what inspect reports (exit code, restarts, health streak...), set by tests. */
  details?: Partial<ContainerDetails>;
}

export class FakeEngine implements ContainerEngine, SwarmEngine {
  readonly endpoint = "fake://engine";
  containers = new Map<string, FakeContainer>();
  networks = new Map<string, NetworkState>();
  /** Tag -> image ID. */
  images = new Map<string, string>();
  calls: string[] = [];
  /** Wall clock for StartedAt; tests move it to get past a start period. */
  now: () => number = Date.now;
  failCreate = new Set<string>();
  /** Container names whose stop / remove the engine refuses. */
  failStop = new Set<string>();
  failRemove = new Set<string>();
  /** The grace period each stop was given, in call order. */
  stopTimeoutsMs: number[] = [];
  /** Container names whose start fails (a taken host port, say). */
  failStart = new Set<string>();
  /** Log lines per container ID, for logTail. */
  logLines = new Map<string, string[]>();
  /** Runs before each create: lets a test act as a second mcps run at exactly that moment. */
  beforeCreate?: (spec: ContainerSpec) => Promise<void> | void;
  /** Swarm: services and tasks a test deploys by hand; undefined services mean "not a swarm manager". */
  swarmServices?: SwarmServiceState[];
  swarmTasks: SwarmTaskState[] = [];
  /** Every helper container run, and what it answers (default: exit 0, no output). */
  helperRuns: HelperRunSpec[] = [];
  helperAnswer: (spec: HelperRunSpec) => HelperRunResult | Promise<HelperRunResult> = () => ({ exitCode: 0, output: [] });
  private seq = 0;

  private nextId = () => `id${++this.seq}`;
  private matches = (labels: Labels, selector: Labels) => Object.entries(selector).every(([k, v]) => labels[k] === v);

  async ping(): Promise<void> {}
  async list(selector: Labels): Promise<ContainerState[]> {
    return [...this.containers.values()].filter((c) => this.matches(c.labels, selector)).map((c) => ({ ...c, ...this.publishedBy(c) }));
  }
  /** Like Docker's listing: a running container holds its published port (a test may set others by hand). */
  private publishedBy(c: FakeContainer): Pick<ContainerState, "published"> {
    if (c.published) return { published: c.published };
    return c.state === "running" && c.spec?.hostPort ? { published: [{ hostIp: c.spec.bindAddress, port: c.spec.hostPort }] } : {};
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
    // Like Docker: a network with containers attached answers 403 "has active endpoints".
    if ([...this.containers.values()].some((c) => c.spec?.networkId === id || c.network === id)) {
      throw new ConflictError(`error while removing network: network ${id} has active endpoints`);
    }
    this.calls.push(`removeNetwork ${id}`);
    this.networks.delete(id);
  }
  async imageId(ref: string): Promise<string | undefined> {
    return this.images.get(ref);
  }
  /** What a build says, step by step, and how it fails (the engine's own words), when a test sets them. */
  buildSteps: string[] = [];
  buildFailure?: string;
  async build(spec: BuildSpec): Promise<void> {
    this.calls.push(`build ${spec.tag} BASE_IMAGE=${spec.buildArgs.BASE_IMAGE}`);
    for (const step of this.buildSteps) spec.onStep?.(step);
    if (this.buildFailure) throw new Error(`build ${spec.tag}: ${this.buildFailure}`);
    this.images.set(spec.tag, `sha256:${this.nextId()}`);
  }
  async inspect(id: string): Promise<ContainerDetails | undefined> {
    const c = this.containers.get(id);
    if (!c) return undefined;
    const s = c.spec;
    const { spec: _spec, details, startedAt: _startedAt, ...state } = c;
    return {
      ...state,
      createdAt: "2026-01-01T00:00:00Z",
      ...(c.startedAt && { startedAt: c.startedAt }),
      exitCode: 0,
      restartCount: 0,
      oomKilled: false,
      healthFailingStreak: 0,
      emptyEnv: s
        ? Object.entries(s.env)
            .filter(([, v]) => v === "")
            .map(([k]) => k)
        : [],
      settings: {
        cpus: s?.cpus ?? 0,
        memoryBytes: s?.memoryBytes ?? 0,
        pids: s?.pids ?? 0,
        restart: s?.restart ?? "no",
        ports: s ? [`${s.bindAddress}:${s.hostPort}->${s.containerPort}/tcp`] : [],
        networks: s ? [this.networks.get(s.networkId)?.name ?? s.networkId] : [],
        networkIds: s ? [s.networkId] : [],
        init: s?.init ?? false,
        capDrop: s?.capDrop ?? [],
        securityOpt: s?.securityOpt ?? [],
        logging: s?.logging ?? { driver: "json-file", options: {} },
        ...(s && { healthcheck: s.healthcheck }),
      },
      ...details,
    };
  }
  async rename(id: string, name: string): Promise<void> {
    const c = this.containers.get(id);
    if (!c) throw new NotFoundError("No such container");
    if ([...this.containers.values()].some((o) => o.name === name)) throw new NameTakenError("Conflict: the name is already in use");
    this.calls.push(`rename ${c.name} ${name}`);
    c.name = name;
  }
  async create(spec: ContainerSpec): Promise<string> {
    await this.beforeCreate?.(spec);
    if (this.failCreate.has(spec.name)) throw new Error(`create ${spec.name}: port is already allocated`);
    if ([...this.containers.values()].some((c) => c.name === spec.name)) throw new NameTakenError("Conflict: the name is already in use");
    const id = this.nextId();
    this.calls.push(`create ${spec.name}`);
    const imageId = this.images.get(spec.image) ?? `sha256:unknown-${spec.image}`;
    this.containers.set(id, { id, name: spec.name, labels: spec.labels, state: "created", health: "none", status: "Created", imageId, spec });
    return id;
  }
  async start(id: string): Promise<void> {
    const c = this.containers.get(id);
    if (!c) throw new NotFoundError("No such container");
    if (this.failStart.has(c.name)) throw new Error(`start ${c.name}: port is already allocated`);
    this.calls.push(`start ${c.name}`);
    c.startedAt = new Date(this.now()).toISOString();
    Object.assign(c, { state: "running", health: "healthy", status: "Up 2 seconds (healthy)" });
  }
  async stop(id: string, timeoutMs?: number): Promise<void> {
    const c = this.containers.get(id);
    if (!c) return;
    if (this.failStop.has(c.name)) throw new Error(`stop ${c.name}: tried to kill container, but did not receive an exit event`);
    this.calls.push(`stop ${c.name}`);
    // As Docker does: without a timeout, the container's own StopTimeout (from its create spec), else its default 10 s.
    this.stopTimeoutsMs.push(timeoutMs ?? c.spec?.stopGraceMs ?? 10_000);
    Object.assign(c, { state: "exited", health: "none", status: "Exited (0) 1 second ago" });
  }
  async remove(id: string): Promise<void> {
    const name = this.containers.get(id)?.name;
    if (name !== undefined && this.failRemove.has(name)) throw new Error(`remove ${name}: removal of container is already in progress`);
    this.calls.push(`remove ${this.containers.get(id)?.name}`);
    this.containers.delete(id);
  }
  async logTail(id: string, lines: number): Promise<string[]> {
    return (this.logLines.get(id) ?? []).slice(-lines);
  }
  async logs(): Promise<void> {}

  /** Events a test emits; every events() iterator sees those emitted after it started. */
  private listeners = new Set<(e: ContainerEvent) => void>();
  emit(event: ContainerEvent): void {
    for (const l of this.listeners) l(event);
  }
  async *events(selector: Labels, signal: AbortSignal): AsyncIterable<ContainerEvent> {
    const queue: ContainerEvent[] = [];
    let wake: (() => void) | undefined;
    const listener = (e: ContainerEvent) => {
      if (this.matches(e.labels, selector)) queue.push(e);
      wake?.();
    };
    const onAbort = () => wake?.();
    this.listeners.add(listener);
    signal.addEventListener("abort", onAbort);
    try {
      while (!signal.aborted) {
        const next = queue.shift();
        if (next) yield next;
        else await new Promise<void>((resolve) => (wake = resolve));
      }
    } finally {
      this.listeners.delete(listener);
      signal.removeEventListener("abort", onAbort);
    }
  }

  async listServices(selector: Labels): Promise<SwarmServiceState[]> {
    if (!this.swarmServices) {
      throw new EngineUnreachableError("the Docker engine at fake is not a swarm manager: list services: This node is not a swarm manager.");
    }
    return this.swarmServices.filter((s) => this.matches(s.labels, selector));
  }
  async listTasks(serviceIds: string[]): Promise<SwarmTaskState[]> {
    return this.swarmTasks.filter((t) => serviceIds.includes(t.serviceId));
  }
  async runHelper(spec: HelperRunSpec): Promise<HelperRunResult> {
    this.helperRuns.push(spec);
    return this.helperAnswer(spec);
  }

  byName(name: string): FakeContainer | undefined {
    return [...this.containers.values()].find((c) => c.name === name);
  }

  /** A container someone else made, by hand; optionally attached to a network (by id). */
  addForeign(name: string, labels: Labels = {}, network?: string): void {
    const id = this.nextId();
    this.containers.set(id, {
      id,
      name,
      labels,
      state: "running",
      health: "none",
      status: "Up 1 hour",
      imageId: "sha256:foreign",
      ...(network && { network }),
    });
  }
}
