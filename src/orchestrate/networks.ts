/**
 * One labelled network per customer, found by its labels and always addressed by ID, never by name.
 * Two `mcps start` runs may race to create it, and the engine's duplicate-name check is best effort,
 * so the list-then-create step holds a host lock (host-lock.ts). Should duplicates exist anyway (a run
 * on another host, or an unlocked fallback), every run keeps the oldest and removes the others.
 */
import { NameTakenError } from "../errors.js";
import type { ContainerEngine, NetworkState } from "../engine/container-engine.js";
import { LABEL, type NetworkPlan } from "../plan/types.js";
import { withHostLock } from "./host-lock.js";

/** Docker's "Created" is RFC 3339 with up to 9 fraction digits: pad them so text order is time order. */
function createdKey(n: NetworkState): string {
  const m = /^(.*T\d\d:\d\d:\d\d)(?:\.(\d+))?(.*)$/.exec(n.createdAt);
  return m ? `${m[1]}.${(m[2] ?? "").padEnd(9, "0")}${m[3]}|${n.id}` : `${n.createdAt}|${n.id}`;
}

const oldestFirst = (a: NetworkState, b: NetworkState) => (createdKey(a) < createdKey(b) ? -1 : 1);

const isOurs = (net: NetworkPlan) => (n: NetworkState) => n.name === net.name && Object.entries(net.labels).every(([k, v]) => n.labels[k] === v);

/** Resolves each customer's network once per run; one listing of the project's networks up front. */
export function networkResolver(engine: ContainerEngine, project: string, onWarning: (line: string) => void = () => undefined) {
  let known: Promise<NetworkState[]> | undefined;
  const resolved = new Map<string, Promise<string>>();

  const ensure = async (net: NetworkPlan): Promise<string> => {
    known ??= engine.listNetworks({ [LABEL.project]: project });
    const found = (await known).filter(isOurs(net));
    if (found.length === 1) return found[0]!.id;
    return withHostLock(`network-${project}-${net.name}`, () => createOrAdopt(net));
  };

  const createOrAdopt = async (net: NetworkPlan): Promise<string> => {
    let found = (await engine.listNetworks(net.labels)).filter(isOurs(net));
    if (!found.length) {
      try {
        await engine.createNetwork(net.name, net.labels);
      } catch (e) {
        // A run on another host (outside the lock) created it a moment ago: fine, it is found below.
        if (!(e instanceof NameTakenError)) throw e;
      }
      found = (await engine.listNetworks(net.labels)).filter(isOurs(net));
    }
    found.sort(oldestFirst);
    const keep = found[0];
    if (!keep)
      throw new Error(
        `network ${net.name} could not be created: a network of that name exists without the labels of project ${JSON.stringify(project)}; remove or rename it`,
      );
    for (const extra of found.slice(1)) {
      // A racing run may have attached a container to a duplicate: it then stays, and that container
      // is recreated on the kept network (its network ID differs) by the next start.
      await engine
        .removeNetwork(extra.id)
        .catch((e: Error) => onWarning(`Left duplicate network ${net.name} (${extra.id.slice(0, 12)}): ${e.message}`));
    }
    return keep.id;
  };

  return (net: NetworkPlan): Promise<string> => {
    let p = resolved.get(net.key);
    if (!p) {
      p = ensure(net);
      resolved.set(net.key, p);
    }
    return p;
  };
}
