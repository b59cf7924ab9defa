/**
 * When is a container stale? Like compose's mustRecreate, not only when its config hash label differs:
 * also when its image is not the one the tag points to now (after `--build`, or a build with another
 * BASE_IMAGE), and when a setting mcps controls reads back differently from the engine (a hand
 * `docker update --memory/--cpus/--restart`, a network re-created under the same name). Pure.
 */
import type { ContainerDetails } from "../engine/container-engine.js";
import { securityOptions } from "../plan/hardening.js";
import { LABEL, type ServicePlan } from "../plan/types.js";

export interface Observed {
  details: ContainerDetails;
  /** What the plan's image tag points to now; undefined when the tag is absent (nothing to compare). */
  imageId: string | undefined;
  /** The customer network this service must be attached to. */
  networkId: string;
}

const MiB = 1024 * 1024;
const bytes = (n: number) => (n % MiB === 0 ? `${n / MiB} MiB` : `${n} bytes`);
const list = (xs: string[]) => (xs.length ? xs.join(",") : "none");
const sorted = (xs: string[]) => [...xs].sort();
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const sortedObject = (o: Record<string, string>) => Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : 1)));

/** One phrase per difference, e.g. "memory 256 MiB, plan 128 MiB"; empty when the container is current. */
export function staleReasons(s: ServicePlan, o: Observed): string[] {
  const { details: d, imageId } = o;
  const set = d.settings;
  const why: string[] = [];
  const differs = (what: string, engine: string, plan: string) => why.push(`${what} ${engine}, plan ${plan}`);

  if (d.labels[LABEL.hash] !== s.hash) why.push("config changed");
  if (imageId !== undefined && d.imageId !== imageId) why.push(`image ${s.image} was rebuilt or retagged`);
  if (Math.round(set.cpus * 1e9) !== Math.round(s.resources.cpus * 1e9)) differs("cpus", String(set.cpus), String(s.resources.cpus));
  if (set.memoryBytes !== s.resources.memoryBytes) differs("memory", bytes(set.memoryBytes), bytes(s.resources.memoryBytes));
  if (set.pids !== s.resources.pids) differs("pids", String(set.pids), String(s.resources.pids));
  if (set.restart !== s.hardening.restart) differs("restart", set.restart, s.hardening.restart);
  const port = `${s.bindAddress}:${s.hostPort}->${s.containerPort}/tcp`;
  if (!same(set.ports, [port])) differs("ports", list(set.ports), port);
  if (!same(set.networkIds, [o.networkId])) differs("networks", list(set.networks), s.network.name);
  if (set.init !== s.hardening.init) differs("init", String(set.init), String(s.hardening.init));
  if (!same(sorted(set.capDrop), sorted(s.hardening.capDrop))) differs("cap_drop", list(set.capDrop), list(s.hardening.capDrop));
  const securityOpt = securityOptions(s.hardening);
  if (!same(sorted(set.securityOpt), sorted(securityOpt))) differs("security_opt", list(set.securityOpt), list(securityOpt));
  const logging = s.hardening.logging;
  if (set.logging.driver !== logging.driver || !same(sortedObject(set.logging.options), sortedObject(logging.options))) {
    differs(
      "logging",
      set.logging.driver,
      logging.driver + (Object.keys(logging.options).length ? ` ${JSON.stringify(sortedObject(logging.options))}` : ""),
    );
  }
  return why;
}

/** Secret variables the container holds as empty strings (made without the credentials, e.g. compose without --env-file). */
export function blankSecrets(s: ServicePlan, d: ContainerDetails): string[] {
  const empty = new Set(d.emptyEnv);
  return s.env.filter((e) => "fromVar" in e && empty.has(e.name)).map((e) => e.name);
}
