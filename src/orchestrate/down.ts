/**
 * down, like compose's: stop each container with the grace period, then remove it; then remove the
 * networks left empty. Only ever containers and networks labelled mcps.project=<project>. One
 * failure never stops the rest: each is reported. A network another container still uses (one that
 * is not ours, say) is kept with a warning, not a failure.
 */
import { ConflictError } from "../errors.js";
import pLimit from "p-limit";
import type { ContainerEngine, ContainerState, NetworkState } from "../engine/container-engine.js";
import { LABEL } from "../plan/types.js";
import { selectContainers } from "./select-containers.js";

export interface DownContainer {
  name: string;
  service: string;
  customer: string;
  type: string;
  action: "removed" | "failed";
  /** Why it failed; the engine's words. */
  reason?: string;
}

export interface DownNetwork {
  name: string;
  /** "kept": another container still uses it (a warning, not a failure). */
  action: "removed" | "kept" | "failed";
  reason?: string;
}

export interface DownResult {
  project: string;
  containers: DownContainer[];
  networks: DownNetwork[];
  /** Things worth saying that are not failures: a busy network, a customer with nothing to remove. */
  warnings: string[];
}

export interface DownOptions {
  /** Only these customers (id or name); empty: the whole project. */
  customers?: string[];
  /** Grace period before the engine kills. */
  timeoutMs?: number;
  concurrency: number;
  onProgress?: (line: string) => void;
}

const ACTIVE = new Set(["running", "restarting", "paused"]);
const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** The engine refuses to remove a network with endpoints still attached. */
function isBusy(e: unknown): boolean {
  return e instanceof ConflictError || /active endpoints/i.test(message(e));
}

export function downFailed(r: DownResult): boolean {
  return r.containers.some((c) => c.action === "failed") || r.networks.some((n) => n.action === "failed");
}

async function removeContainer(
  engine: ContainerEngine,
  c: ContainerState,
  timeoutMs: number | undefined,
  say: (l: string) => void,
): Promise<DownContainer> {
  const item = {
    name: c.name,
    service: c.labels[LABEL.service] ?? c.name,
    customer: c.labels[LABEL.customer] ?? "",
    type: c.labels[LABEL.type] ?? "",
  };
  try {
    if (ACTIVE.has(c.state)) {
      say(`Stopping ${item.service}…`);
      await engine.stop(c.id, timeoutMs);
      say(`Stopped ${item.service}`);
    }
    say(`Removing ${item.service}…`);
    await engine.remove(c.id);
    say(`Removed ${item.service}`);
    return { ...item, action: "removed" };
  } catch (e) {
    say(`Failed ${item.service}: ${message(e)}`);
    return { ...item, action: "failed", reason: message(e) };
  }
}

async function removeNetwork(engine: ContainerEngine, n: NetworkState, say: (l: string) => void): Promise<DownNetwork> {
  try {
    await engine.removeNetwork(n.id);
    say(`Removed network ${n.name}`);
    return { name: n.name, action: "removed" };
  } catch (e) {
    if (isBusy(e)) return { name: n.name, action: "kept", reason: "containers are still attached to it" };
    say(`Failed network ${n.name}: ${message(e)}`);
    return { name: n.name, action: "failed", reason: message(e) };
  }
}

export async function downProject(engine: ContainerEngine, project: string, opts: DownOptions): Promise<DownResult> {
  const say = opts.onProgress ?? (() => undefined);
  const customers = opts.customers ?? [];
  // Unset: each container stops with its own grace (the plan's stopGraceMs, set when it was created).
  const timeoutMs = opts.timeoutMs;
  const all = await engine.list({ [LABEL.project]: project });
  const targets = customers.length ? selectContainers(all, { customers, types: [] }) : all;
  const warnings: string[] = [];

  // A customer is named by id or name; the networks carry the id, which the containers' labels give.
  const ids = new Set(customers);
  for (const c of targets) ids.add(c.labels[LABEL.customer] ?? "");
  for (const wanted of customers) {
    const hit = targets.some((c) => c.labels[LABEL.customer] === wanted || c.labels[LABEL.customerName] === wanted);
    if (!hit) warnings.push(`no containers of customer ${JSON.stringify(wanted)} in project ${project}`);
  }

  const limit = pLimit(opts.concurrency);
  const containers = await Promise.all(targets.map((c) => limit(() => removeContainer(engine, c, timeoutMs, say))));

  const nets = (await engine.listNetworks({ [LABEL.project]: project })).filter((n) => !customers.length || ids.has(n.labels[LABEL.customer] ?? ""));
  const networks: DownNetwork[] = [];
  for (const n of nets) networks.push(await removeNetwork(engine, n, say));
  for (const n of networks) if (n.action === "kept") warnings.push(`network ${n.name} kept: ${n.reason}`);

  const byName = (a: { name: string }, b: { name: string }) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  return { project, containers: containers.sort(byName), networks: networks.sort(byName), warnings };
}
