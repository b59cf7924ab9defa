/** The desired state: what both the compose generator and the orchestrator read. */

export type Transport = "streamable-http" | "sse";

/** A container variable: a literal value, or a reference to a host variable holding a secret. */
export type EnvEntry = { name: string; value: string } | { name: string; fromVar: string };

export interface ResourceLimits {
  cpus: number;
  memoryBytes: number;
  pids: number;
}

/**
 * What the in-container check asks, as data: a real MCP exchange with the server at this port and
 * path. The command line Docker runs is built from it by one function (containerProbeCommand).
 */
export interface ProbePlan {
  port: number;
  path: string;
  transport: Transport;
  /** The check's own time limit, inside Docker's timeout, so the health log says why it failed. */
  budgetMs: number;
  /** How long a passed exchange is trusted: checks in between cost a shell, not a node start (0: always in full). */
  trustForMs: number;
}

export interface HealthcheckPlan {
  probe: ProbePlan;
  intervalMs: number;
  timeoutMs: number;
  retries: number;
  /** Failures in this time after start do not count. */
  startPeriodMs: number;
}

export interface BuildPlan {
  /**
   * The build context: the type's folder, or the catalog folder for a type whose manifest says
   * `build.context: ..`; as the catalog was given (relative stays relative).
   */
  contextDir: string;
  /** Relative to contextDir, posix separators (e.g. "Dockerfile", or "grafana/Dockerfile"). */
  dockerfile: string;
  /** The Dockerfile's default BASE_IMAGE; overridable with a build argument. */
  baseImage: string;
}

export interface NetworkPlan {
  /** Key in the compose file's networks section: the customer id. */
  key: string;
  /** Engine-level name, shared by compose and the orchestrator. */
  name: string;
  labels: Record<string, string>;
}

/** A writable in-memory folder under a read-only root filesystem. */
export interface ScratchMount {
  path: string;
  sizeBytes: number;
}

/**
 * How every container is locked down. Part of the plan (and so of its hash): compose, Swarm,
 * Kubernetes and the engine spec all read it from here, never from a copy of their own.
 */
export interface HardeningPlan {
  init: boolean;
  /** The numeric user and group the server runs as (the shipped Dockerfiles' `USER 1000:1000`). */
  user: { uid: number; gid: number };
  readOnlyRootFilesystem: boolean;
  /** What stays writable under the read-only root (a tmpfs, or an emptyDir in Kubernetes). */
  scratch: ScratchMount[];
  noNewPrivileges: boolean;
  capDrop: string[];
  /** The runtime's default seccomp profile (Docker applies it unasked; Kubernetes must be told). */
  seccomp: "runtime-default";
  logging: { driver: string; options: Record<string, string> };
  /** Restart policy: "no", "always", "on-failure" or "unless-stopped". */
  restart: string;
  /** Between the stop signal and the kill. */
  stopGraceMs: number;
}

/** The gateway's tool policy for one service: globs on the server's own tool names (config/tool-glob.ts). */
export interface ToolPolicyPlan {
  /** Only matching tools are exposed; undefined: every tool. */
  allow?: string[];
  deny: string[];
}

export interface ServicePlan {
  /** mcp-<type>-<customer-id>: the compose service name, unique in the plan, a DNS label (<= 63). */
  name: string;
  /**
   * The engine-level container name: the service name in the default project ("mcps"), else
   * "<project>-<service>", so two projects with the same customers can share one engine.
   */
  containerName: string;
  customerId: string;
  customerName: string;
  /** The customer's optional descriptive type (a tier, say); carried as a label only. */
  customerType?: string;
  type: string;
  image: string;
  build?: BuildPlan;
  command?: string[];
  containerPort: number;
  hostPort: number;
  bindAddress: string;
  transport: Transport;
  path: string;
  /** Where the server answers from the host. */
  url: string;
  env: EnvEntry[];
  resources: ResourceLimits;
  healthcheck: HealthcheckPlan;
  network: NetworkPlan;
  /** More DNS names of the service on its customer network (the type), so a sidecar finds it by kind. */
  aliases: string[];
  hardening: HardeningPlan;
  /**
   * The gateway's view of the service, outside the config hash (it shapes no container): which tools
   * /mcp/<customer> exposes (undefined: all), and the variable holding the customer's gateway token.
   */
  tools?: ToolPolicyPlan;
  gatewayTokenEnv?: string;
  /** Includes the config hash label; secrets appear only as variable names. */
  labels: Record<string, string>;
  hash: string;
}

export interface Plan {
  project: string;
  services: ServicePlan[];
  networks: NetworkPlan[];
  envFile?: string;
}

export const LABEL = {
  project: "mcps.project",
  customer: "mcps.customer",
  customerName: "mcps.customer-name",
  customerType: "mcps.customer-type",
  type: "mcps.type",
  service: "mcps.service",
  hash: "mcps.config-hash",
} as const;
