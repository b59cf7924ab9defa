/**
 * plan(config, catalog) -> the desired services. Pure: the compose generator renders this, the
 * orchestrator reconciles the engine against it, so the two can never disagree.
 */
import type { Catalog, CatalogType } from "../catalog/catalog.js";
import { durationMs } from "../config/manifest-schema.js";
import type { Defaults, Server } from "../config/schema.js";
import type { Problem } from "../errors.js";
import { containerProbeCommand } from "../health/container-probe.js";
import { canonicalJson, sha256 } from "./hash.js";
import { assignPorts, type PortRequest } from "./ports.js";
import { mergeResources } from "./resources.js";
import { LABEL, type EnvEntry, type HardeningPlan, type HealthcheckPlan, type NetworkPlan, type Plan, type ServicePlan } from "./types.js";
import { builtImage, containerName, networkName, serviceName } from "./names.js";
import { checkServerUrl } from "./server-url.js";
import type { ValidCustomer } from "./validate.js";

export interface PlanInput {
  file: string;
  project: string;
  defaults: Defaults;
  customers: ValidCustomer[];
  /** Host ports of the previous generated file, by service name: what keeps ports stable. */
  previousPorts?: ReadonlyMap<string, number>;
  pathInFile?: (path: string) => string;
  /** `--image-prefix`: put before every locally built image ("REGISTRY/" + "mcps/<type>:<digest>"); checked by the caller. */
  imagePrefix?: string;
}

export { builtImage, containerName, DEFAULT_PROJECT, serviceName } from "./names.js";

/** The same for every service: what `docker run` flags a careful operator would add. */
function hardening(restart: string): HardeningPlan {
  return {
    init: true,
    capDrop: ["ALL"],
    securityOpt: ["no-new-privileges:true"],
    logging: { driver: "json-file", options: { "max-size": "10m", "max-file": "3" } },
    restart,
  };
}

function healthcheck(type: CatalogType): HealthcheckPlan {
  const { port, path, transport, healthcheck: hc } = type.manifest;
  return {
    test: containerProbeCommand(port, path, transport, durationMs(hc.timeout), durationMs(hc.trust_for)),
    interval: hc.interval,
    timeout: hc.timeout,
    retries: hc.retries,
    startPeriod: hc.start_period,
  };
}

function envFor(type: CatalogType, server: Server): EnvEntry[] {
  const env: EnvEntry[] = Object.entries(type.manifest.env).map(([name, value]) => ({ name, value }));
  for (const [key, spec] of Object.entries(type.manifest.config)) {
    const value = Object.hasOwn(server.config, key) ? server.config[key] : spec.default;
    if (value === undefined) continue;
    env.push(spec.secret ? { name: spec.env, fromVar: String(value) } : { name: spec.env, value: String(value) });
  }
  return env.sort((a, b) => (a.name < b.name ? -1 : 1));
}

/** The server's own policy, else the defaults' (a server's policy replaces it whole, never merges). */
function gatewayFields(server: Server, defaults: Defaults, tokenEnv: string | undefined): Pick<ServicePlan, "tools" | "gatewayTokenEnv"> {
  const policy = server.tools ?? defaults.tools;
  return {
    ...(policy && { tools: { ...(policy.allow && { allow: policy.allow }), deny: policy.deny ?? [] } }),
    ...(tokenEnv !== undefined && { gatewayTokenEnv: tokenEnv }),
  };
}

/** Below this a host port is privileged: accepted when pinned on purpose, with a warning. */
const FIRST_UNPRIVILEGED_PORT = 1024;

export function buildPlan(input: PlanInput, catalog: Catalog): { plan: Plan; problems: Problem[]; warnings: Problem[] } {
  const { project, defaults } = input;
  const inFile = input.pathInFile ?? ((p: string) => p);
  const problems: Problem[] = [];
  const warnings: Problem[] = [];
  const problem = (path: string, message: string) => problems.push({ file: input.file, path: inFile(path), message });
  const warn = (path: string, message: string) => warnings.push({ file: input.file, path: inFile(path), message });
  if (!/^127\./.test(defaults.bind_address)) {
    warn(
      "defaults.bind_address",
      `ports are published on ${defaults.bind_address}, reachable from other machines; the MCP servers hold customer credentials and have no authentication`,
    );
  }
  // One object per type (health check) and per plan (hardening), shared by the services: the
  // config hashes below then serialise each once (see canonicalJson's memo).
  const locked = hardening(defaults.restart);
  const healthchecks = new Map<CatalogType, HealthcheckPlan>();
  const healthcheckOf = (type: CatalogType): HealthcheckPlan => {
    const known = healthchecks.get(type);
    if (known) return known;
    const plan = healthcheck(type);
    healthchecks.set(type, plan);
    return plan;
  };
  const drafts: Array<Omit<ServicePlan, "hostPort" | "url" | "labels" | "hash"> & { at: string }> = [];
  const requests: PortRequest[] = [];
  const networks: NetworkPlan[] = [];

  for (const { index, id, customer, servers } of input.customers) {
    if (customer.enabled === false) continue;
    const network: NetworkPlan = {
      key: id,
      name: networkName(project, id),
      labels: { [LABEL.project]: project, [LABEL.customer]: id },
    };
    let used = false;
    for (const { index: k, server } of servers) {
      if (server.enabled === false) continue;
      const type = catalog.types.get(server.type)!;
      const m = type.manifest;
      const at = `customers[${index}].mcp_servers[${k}]`;
      const name = serviceName(server.type, id);
      let pin = server.port;
      if (server.url !== undefined) {
        const checked = checkServerUrl(server.url, m.path, defaults.bind_address);
        if (checked.error) problem(`${at}.url`, checked.error);
        else if (pin !== undefined && checked.port !== pin) problem(`${at}.url`, `port ${checked.port} differs from the pinned port ${pin}`);
        else pin = checked.port;
      }
      const pinAt = server.port !== undefined ? `${at}.port` : `${at}.url`;
      if (pin !== undefined && pin < FIRST_UNPRIVILEGED_PORT) {
        warn(pinAt, `host port ${pin} is below ${FIRST_UNPRIVILEGED_PORT} (privileged); kept because it is pinned`);
      }
      requests.push(pin === undefined ? { name } : { name, pinned: { port: pin, at: pinAt } });
      drafts.push({
        at,
        name,
        containerName: containerName(project, name),
        customerId: id,
        customerName: customer.name,
        ...(customer.type !== undefined ? { customerType: customer.type } : {}),
        type: server.type,
        image: m.image ?? `${input.imagePrefix ?? ""}${builtImage(project, server.type, type.contextDigest)}`,
        ...(m.build && type.build ? { build: { ...type.build, baseImage: m.build.base_image } } : {}),
        ...(m.command ? { command: m.command } : {}),
        containerPort: m.port,
        bindAddress: defaults.bind_address,
        transport: m.transport,
        path: m.path,
        env: envFor(type, server),
        resources: mergeResources(m.resources, defaults.resources, server.resources),
        healthcheck: healthcheckOf(type),
        network,
        hardening: locked,
        ...gatewayFields(server, defaults, customer.gateway?.token_env),
      });
      used = true;
    }
    if (used) networks.push(network);
  }

  const { ports, problems: portProblems } = assignPorts(requests, defaults.port_range, input.previousPorts ?? new Map());
  for (const p of portProblems) problem(p.at, p.message);

  // Blocks every service of a type shares enter each hash as the digest of their text, so the
  // 2 KB probe source is hashed once per type instead of once per service.
  const memo = new WeakMap<object, string>();
  for (const shared of [...healthchecks.values(), locked]) memo.set(shared, JSON.stringify(`sha256:${sha256(canonicalJson(shared))}`));
  const services: ServicePlan[] = drafts.map(({ at: _at, ...d }) => {
    const hostPort = ports.get(d.name) ?? 0;
    const base = { ...d, hostPort, url: `http://${d.bindAddress}:${hostPort}${d.path}` };
    const labels: Record<string, string> = {
      [LABEL.project]: project,
      [LABEL.customer]: d.customerId,
      [LABEL.customerName]: d.customerName,
      ...(d.customerType !== undefined ? { [LABEL.customerType]: d.customerType } : {}),
      [LABEL.type]: d.type,
      [LABEL.service]: d.name,
    };
    // Like compose's config-hash: everything that shapes the container, plus the type's build context
    // by content (not by folder path, which differs between a relative and an absolute --catalog).
    // The gateway fields are left out: a policy or token change must not recreate a container.
    const hashed = { ...base, build: base.build && { ...base.build, contextDir: undefined }, tools: undefined, gatewayTokenEnv: undefined, labels };
    const hash = sha256(canonicalJson({ ...hashed, context: catalog.types.get(d.type)!.contextDigest }, memo));
    return { ...base, labels: { ...labels, [LABEL.hash]: hash }, hash };
  });
  services.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  networks.sort((a, b) => (a.key < b.key ? -1 : 1));
  return { plan: { project, services, networks, ...(defaults.env_file ? { envFile: defaults.env_file } : {}) }, problems, warnings };
}
