/**
 * plan(config, catalog) -> the desired services. Pure: the compose generator renders this, the
 * orchestrator reconciles the engine against it, so the two can never disagree.
 */
import type { Catalog, CatalogType } from "../catalog/catalog.js";
import type { Defaults, Server } from "../config/schema.js";
import type { Problem } from "../errors.js";
import { CONTAINER_PROBE_SOURCE, checkBudgetMs } from "../health/container-probe.js";
import { hardening } from "./hardening.js";
import { canonicalJson, sha256 } from "./hash.js";
import { assignPorts, type PortRequest } from "./ports.js";
import { mergeResources } from "./resources.js";
import { LABEL, type EnvEntry, type HealthcheckPlan, type NetworkPlan, type Plan, type ServicePlan } from "./types.js";
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

export { DEFAULT_PROJECT } from "./names.js";

function healthcheck(type: CatalogType): HealthcheckPlan {
  const { port, path, transport } = type.manifest;
  const { trustForMs, ...timing } = type.timing;
  return { probe: { port, path, transport, budgetMs: checkBudgetMs(timing.timeoutMs), trustForMs }, ...timing };
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

/** The in-container check's source, by content. */
const PROBE_DIGEST = sha256(CONTAINER_PROBE_SOURCE);

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
  const drafts: Array<Omit<ServicePlan, "hostPort" | "url" | "labels" | "hash">> = [];
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
        aliases: [server.type],
        hardening: locked,
        ...gatewayFields(server, defaults, customer.gateway?.token_env),
      });
      used = true;
    }
    if (used) networks.push(network);
  }

  const { ports, problems: portProblems } = assignPorts(requests, defaults.port_range, input.previousPorts ?? new Map(), project);
  for (const p of portProblems) problem(p.at, p.message);

  // Blocks every service of a type shares enter each hash as the digest of their text, so each is
  // serialised once per plan instead of once per service.
  const seeded = new Map<object, string>();
  for (const shared of [...healthchecks.values(), locked]) seeded.set(shared, JSON.stringify(`sha256:${sha256(canonicalJson(shared))}`));
  const memo = { get: (o: object) => seeded.get(o) };
  const services: ServicePlan[] = drafts.map((d) => {
    const hostPort = ports.get(d.name) ?? 0;
    // Assigned one by one: an object literal with computed keys is built slowly, 3,000 times.
    const labels: Record<string, string> = {};
    labels[LABEL.project] = project;
    labels[LABEL.customer] = d.customerId;
    labels[LABEL.customerName] = d.customerName;
    if (d.customerType !== undefined) labels[LABEL.customerType] = d.customerType;
    labels[LABEL.type] = d.type;
    labels[LABEL.service] = d.name;
    const service = { ...d, hostPort, url: `http://${d.bindAddress}:${hostPort}${d.path}`, labels, hash: "" };
    // Like compose's config-hash: everything that shapes the container, plus the type's build context
    // by content (not by folder path, which differs between a relative and an absolute --catalog) and
    // the check's source (a new mcps with another check recreates). One copy, never kept.
    const hashed = {
      ...service,
      hash: undefined,
      build: service.build && { ...service.build, contextDir: undefined },
      context: catalog.types.get(d.type)!.contextDigest,
      probe: PROBE_DIGEST,
      // The gateway fields are left out: a policy or token change must not recreate a container.
      tools: undefined,
      gatewayTokenEnv: undefined,
    };
    service.hash = sha256(canonicalJson(hashed, memo));
    service.labels = { ...labels };
    service.labels[LABEL.hash] = service.hash;
    return service;
  });
  services.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  networks.sort((a, b) => (a.key < b.key ? -1 : 1));
  return { plan: { project, services, networks, ...(defaults.env_file ? { envFile: defaults.env_file } : {}) }, problems, warnings };
}
