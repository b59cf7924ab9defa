/** One labelled network per customer, created once even when two `mcps start` runs race. */
import type { ContainerEngine } from "../engine/container-engine.js";
import { EngineError } from "../errors.js";
import type { NetworkPlan } from "../plan/types.js";

export async function ensureNetwork(engine: ContainerEngine, net: NetworkPlan): Promise<string> {
  const ours = async () => (await engine.listNetworks(net.labels)).filter((n) => n.name === net.name);
  let found = await ours();
  if (!found.length) {
    try {
      await engine.createNetwork(net.name, net.labels);
    } catch (e) {
      if ((e as { statusCode?: number }).statusCode !== 409) throw e;
    }
    found = await ours();
  }
  if (!found.length) throw new EngineError(`network ${net.name} exists but was not created by mcps (it lacks the project's labels); remove or rename it`);
  // Engines that allow duplicate names may end up with two after a race: every run keeps the oldest.
  found.sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.id < b.id ? -1 : 1));
  for (const extra of found.slice(1)) await engine.removeNetwork(extra.id).catch(() => undefined);
  return found[0]!.id;
}
