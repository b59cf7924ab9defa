/**
 * The boundary to the container engine, in our own words. One implementation talks to Docker
 * (docker-engine.ts); unit tests use an in-memory one. Nothing outside engine/ sees dockerode.
 */
export type Labels = Record<string, string>;

export type RunState = "created" | "running" | "paused" | "restarting" | "removing" | "exited" | "dead";
export type Health = "starting" | "healthy" | "unhealthy" | "none";

export interface ContainerState {
  id: string;
  name: string;
  labels: Labels;
  state: RunState;
  health: Health;
  /** Docker's own phrase, e.g. "Up 3 minutes (healthy)" or "Exited (137) 5 seconds ago". */
  status: string;
}

export interface NetworkState {
  id: string;
  name: string;
  labels: Labels;
  createdAt: string;
}

/** Everything needed to create one container; secrets are already resolved into env. */
export interface ContainerSpec {
  name: string;
  image: string;
  command?: string[];
  env: Record<string, string>;
  labels: Labels;
  containerPort: number;
  hostPort: number;
  bindAddress: string;
  networkId: string;
  /** DNS name on the customer network (the type), so sidecars can find it. */
  alias: string;
  cpus: number;
  memoryBytes: number;
  pids: number;
  healthcheck: { test: string[]; intervalMs: number; timeoutMs: number; retries: number; startPeriodMs: number };
  restart: string;
  init: boolean;
  capDrop: string[];
  securityOpt: string[];
  logging: { driver: string; options: Record<string, string> };
}

export interface BuildSpec {
  contextDir: string;
  dockerfile: string;
  tag: string;
  buildArgs: Record<string, string>;
  labels: Labels;
}

export interface ContainerEngine {
  /** Where the engine is, for messages: "unix:///var/run/docker.sock". */
  readonly endpoint: string;
  /** Throws EngineUnreachableError when nothing answers. */
  ping(): Promise<void>;
  list(selector: Labels): Promise<ContainerState[]>;
  /** The container of that name whatever its labels, so we never collide with one we did not create. */
  findByName(name: string): Promise<ContainerState | undefined>;
  listNetworks(selector: Labels): Promise<NetworkState[]>;
  createNetwork(name: string, labels: Labels): Promise<string>;
  removeNetwork(id: string): Promise<void>;
  imageExists(ref: string): Promise<boolean>;
  build(spec: BuildSpec): Promise<void>;
  create(spec: ContainerSpec): Promise<string>;
  start(id: string): Promise<void>;
  stop(id: string, timeoutMs: number): Promise<void>;
  remove(id: string): Promise<void>;
  logs(id: string, opts: { follow: boolean; tail?: number }, out: NodeJS.WritableStream, err: NodeJS.WritableStream): Promise<void>;
}
