/** The desired state: what both the compose generator and the orchestrator read. */

export type Transport = "streamable-http" | "sse";

/** A container variable: a literal value, or a reference to a host variable holding a secret. */
export type EnvEntry = { name: string; value: string } | { name: string; fromVar: string };

export interface ResourceLimits {
  cpus: number;
  memoryBytes: number;
  pids: number;
}

export interface HealthcheckPlan {
  /** Exec form: `sh` answers from a fresh verdict, else node runs the MCP exchange (container-probe.ts). */
  test: string[];
  interval: string;
  timeout: string;
  retries: number;
  startPeriod: string;
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

/**
 * How every container is locked down. Part of the plan (and so of its hash): compose and the
 * orchestrator both read it from here, never from a copy of their own.
 */
export interface HardeningPlan {
  init: boolean;
  capDrop: string[];
  securityOpt: string[];
  logging: { driver: string; options: Record<string, string> };
  /** Restart policy: "no", "always", "on-failure" or "unless-stopped". */
  restart: string;
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
