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
  /** The image ID the container was created from ("sha256:..."): compared with what the tag points to now. */
  imageId: string;
  /** Host ports it holds now (a running container's published ports), from the listing. */
  published?: PublishedPort[];
}

export interface PublishedPort {
  hostIp: string;
  port: number;
}

/** What the engine reports of a container's settings, read back to detect hand edits (drift). */
export interface ContainerSettings {
  cpus: number;
  memoryBytes: number;
  pids: number;
  restart: string;
  /** "hostIp:hostPort->containerPort/tcp", sorted. */
  ports: string[];
  /** Names of the networks the container is attached to, sorted. */
  networks: string[];
  /** Their IDs, sorted: what drift is judged by (a network re-created under the same name is another network). */
  networkIds: string[];
  init: boolean;
  capDrop: string[];
  securityOpt: string[];
  logging: { driver: string; options: Record<string, string> };
  healthcheck?: { test: string[]; intervalMs: number; timeoutMs: number; retries: number; startPeriodMs: number };
}

/** One container, inspected: state details for status and the settings for drift. Never holds env values. */
export interface ContainerDetails extends ContainerState {
  createdAt: string;
  /** ISO 8601; undefined when never started / not finished. */
  startedAt?: string;
  finishedAt?: string;
  exitCode: number;
  restartCount: number;
  /** OOMKilled, "exec format error"...: the engine's own reason, when it gave one. */
  error?: string;
  oomKilled: boolean;
  healthFailingStreak: number;
  lastHealthOutput?: string;
  /** Names of environment variables whose value is empty (a blank secret), never the values. */
  emptyEnv: string[];
  settings: ContainerSettings;
}

/** Something happened to a container (start, die, health_status, destroy...): a cue to look again. */
export interface ContainerEvent {
  id: string;
  /** Docker's action, e.g. "start", "die", "health_status: healthy". */
  action: string;
  labels: Labels;
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
  /** More DNS names on the customer network (the type), so sidecars can find it. */
  aliases: string[];
  cpus: number;
  memoryBytes: number;
  pids: number;
  healthcheck: { test: string[]; intervalMs: number; timeoutMs: number; retries: number; startPeriodMs: number };
  restart: string;
  init: boolean;
  /** "uid:gid" */
  user: string;
  readOnlyRootFilesystem: boolean;
  /** tmpfs mounts: the writable folders under a read-only root. */
  scratch: Array<{ path: string; sizeBytes: number }>;
  capDrop: string[];
  securityOpt: string[];
  logging: { driver: string; options: Record<string, string> };
  /** Between the stop signal and the kill, when nobody asks for another. */
  stopGraceMs: number;
}

export interface BuildSpec {
  contextDir: string;
  dockerfile: string;
  tag: string;
  buildArgs: Record<string, string>;
  labels: Labels;
  /** Each step of the Dockerfile as the engine starts it ("Step 3/9 : RUN npm ci"): a build is not silence. */
  onStep?: (step: string) => void;
}

export interface ContainerEngine {
  /** Where the engine is, for messages: "unix:///var/run/docker.sock". */
  readonly endpoint: string;
  /** Throws EngineUnreachableError when nothing answers. */
  ping(): Promise<void>;
  list(selector: Labels): Promise<ContainerState[]>;
  /** The container of that name whatever its labels, so we never collide with one we did not create. */
  findByName(name: string): Promise<ContainerState | undefined>;
  /** Undefined when the container no longer exists. */
  inspect(id: string): Promise<ContainerDetails | undefined>;
  listNetworks(selector: Labels): Promise<NetworkState[]>;
  createNetwork(name: string, labels: Labels): Promise<string>;
  removeNetwork(id: string): Promise<void>;
  /** The image ID a tag points to now, or undefined when the tag is not present. */
  imageId(ref: string): Promise<string | undefined>;
  build(spec: BuildSpec): Promise<void>;
  /** A name already taken fails with NameTakenError. */
  create(spec: ContainerSpec): Promise<string>;
  /** Starting a running container is not an error. */
  start(id: string): Promise<void>;
  /**
   * Stopping a stopped or vanished container is not an error. Without a timeout the container's own
   * grace applies (its StopTimeout, which create set from the plan's stopGraceMs).
   */
  stop(id: string, timeoutMs?: number): Promise<void>;
  /** Forced; a vanished container is not an error, one being removed by someone else is waited for. */
  remove(id: string): Promise<void>;
  /** A name already taken fails with NameTakenError; a vanished container with NotFoundError. */
  rename(id: string, name: string): Promise<void>;
  /** The last `lines` lines of stdout and stderr, each cut to a readable length: for failure reasons. */
  logTail(id: string, lines: number): Promise<string[]>;
  logs(id: string, opts: { follow: boolean; tail?: number }, out: NodeJS.WritableStream, err: NodeJS.WritableStream): Promise<void>;
  /** Container events of the containers matching the selector, from now on, until the signal aborts. */
  events(selector: Labels, signal: AbortSignal): AsyncIterable<ContainerEvent>;
}
