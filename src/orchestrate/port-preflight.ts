/**
 * Before start touches a container: every host port the selected services publish must be free, or
 * held by that service's own container (a restart or a recreate takes it over). Otherwise the
 * engine would refuse the bind halfway ("port is already allocated"), after other services were
 * created. Who holds a port comes from the engine's listing (any container, any project, with its
 * published ports); a port no container holds is then tried on this machine, when the engine runs
 * here, for a process that listens on it.
 */
import { connect } from "node:net";
import pLimit from "p-limit";
import type { ContainerEngine, ContainerState, PublishedPort } from "../engine/container-engine.js";
import { PortConflictError } from "../errors.js";
import { LABEL, type Plan, type ServicePlan } from "../plan/types.js";
import { replacementName } from "./recreate.js";

/** Whether something accepts connections at host:port. */
export type PortProbe = (host: string, port: number) => Promise<boolean>;

/**
 * A connect, not a bind: a test bind would hold the port for a moment, long enough to make a
 * concurrent `mcps start` of this project fail its own bind.
 */
export const acceptsConnections: PortProbe = (host, port) =>
  new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (answer: boolean) => {
      socket.destroy();
      resolve(answer);
    };
    socket.once("connect", () => done(true));
    socket.once("error", () => done(false));
    socket.setTimeout(1000, () => done(false));
  });

/** Only an engine on this machine publishes ports here; a remote one's ports are another host's. */
export function engineIsLocal(endpoint: string): boolean {
  return /^(unix|npipe):/.test(endpoint) || /^tcp:\/\/(localhost|127\.[\d.]+|\[::1\])[:/]/.test(endpoint);
}

const WILDCARD = new Set(["0.0.0.0", "::", ""]);
const overlaps = (a: string, b: string) => a === b || WILDCARD.has(a) || WILDCARD.has(b);
/** Where a client of a wildcard bind connects. */
const dialable = (bind: string) => (bind === "0.0.0.0" || bind === "" ? "127.0.0.1" : bind === "::" ? "::1" : bind);

function holderOf(c: ContainerState, project: string, s: ServicePlan): string {
  const owner = c.labels[LABEL.project];
  if (owner === undefined) return `container ${c.name} (not made by mcps)`;
  if (owner !== project) return `container ${c.name} of mcps project ${JSON.stringify(owner)}`;
  return `container ${c.name} of this project, not ${s.name}'s`;
}

const isOwn = (c: ContainerState, project: string, s: ServicePlan) =>
  c.labels[LABEL.project] === project && (c.name === s.containerName || c.name === replacementName(s.containerName));

function holdersByPort(all: ContainerState[]): Map<number, Array<{ c: ContainerState; at: PublishedPort }>> {
  const byPort = new Map<number, Array<{ c: ContainerState; at: PublishedPort }>>();
  for (const c of all) for (const at of c.published ?? []) byPort.set(at.port, [...(byPort.get(at.port) ?? []), { c, at }]);
  return byPort;
}

/** Who else holds the service's port per the listing: a phrase, "" when its own container does, undefined when no container does. */
function listedHolder(byPort: ReturnType<typeof holdersByPort>, project: string, s: ServicePlan): string | undefined {
  const held = (byPort.get(s.hostPort) ?? []).filter((h) => overlaps(h.at.hostIp, s.bindAddress));
  if (!held.length) return undefined;
  const other = held.find((h) => !isOwn(h.c, project, s));
  return other ? holderOf(other.c, project, s) : "";
}

const conflictLine = (s: ServicePlan, who: string) =>
  `host port ${s.hostPort} for ${s.name} is held by ${who}; pin another port (mcp_servers[].port) or set defaults.port_range; no container was touched`;

/** Throws PortConflictError, one line per held port, when any selected service's port is taken. */
export async function checkHostPorts(
  engine: ContainerEngine,
  plan: Plan,
  services: ServicePlan[],
  opts: { all?: ContainerState[]; probe?: PortProbe } = {},
): Promise<void> {
  const published = services.filter((s) => s.hostPort > 0);
  const all = opts.all ?? (await engine.list({}));
  const listed = holdersByPort(all);
  const conflicts = new Map<ServicePlan, string>();
  const unlisted: ServicePlan[] = [];
  for (const s of published) {
    const who = listedHolder(listed, plan.project, s);
    if (who) conflicts.set(s, conflictLine(s, who));
    // The service's own container, in any state, may be what answers: a crash-looping one lists no
    // ports between its runs while Docker's proxy still accepts on them. Start deals with it.
    else if (who === undefined && !all.some((c) => isOwn(c, plan.project, s))) unlisted.push(s);
  }
  const probe = opts.probe ?? (engineIsLocal(engine.endpoint) ? acceptsConnections : undefined);
  if (probe && unlisted.length) {
    const limit = pLimit(32);
    const answers = await Promise.all(unlisted.map((s) => limit(() => probe(dialable(s.bindAddress), s.hostPort))));
    const answering = unlisted.filter((_, i) => answers[i]);
    // A concurrent `mcps start` of this project may have started the service's container between
    // the listing and the probe: look again before blaming a process.
    const again = answering.length ? holdersByPort(await engine.list({})) : listed;
    for (const s of answering) {
      const who = listedHolder(again, plan.project, s);
      if (who === "") continue;
      conflicts.set(
        s,
        conflictLine(s, who ?? `a process on this machine (something accepts connections on ${dialable(s.bindAddress)}:${s.hostPort})`),
      );
    }
  }
  if (conflicts.size) throw new PortConflictError(published.filter((s) => conflicts.has(s)).map((s) => conflicts.get(s)!));
}
