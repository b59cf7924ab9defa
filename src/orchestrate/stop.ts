/** stop: only ever containers that carry the project's labels (down is in down.ts). */
import pLimit from "p-limit";
import type { ContainerEngine, ContainerState } from "../engine/container-engine.js";
import { LABEL } from "../plan/types.js";
import type { Action } from "./outcome.js";
import { selectContainers, type ContainerSelection } from "./select-containers.js";

export interface StopResult {
  service: string;
  customer: string;
  type: string;
  action: Action;
  reason?: string;
}

const describe = (c: ContainerState, action: Action, reason?: string): StopResult => ({
  service: c.labels[LABEL.service] ?? c.name,
  customer: c.labels[LABEL.customer] ?? "",
  type: c.labels[LABEL.type] ?? "",
  action,
  ...(reason !== undefined && { reason }),
});

export async function stopContainers(
  engine: ContainerEngine,
  project: string,
  sel: ContainerSelection,
  opts: { timeoutMs?: number; concurrency: number; onProgress?: (l: string) => void },
): Promise<StopResult[]> {
  const say = opts.onProgress ?? (() => undefined);
  const targets = selectContainers(await engine.list({ [LABEL.project]: project }), sel);
  const limit = pLimit(opts.concurrency);
  return Promise.all(
    targets.map((c) =>
      limit(async () => {
        if (c.state !== "running" && c.state !== "restarting" && c.state !== "paused") return describe(c, "already stopped");
        // Progress names services, as start's does; the container name is the service's in another project.
        const name = c.labels[LABEL.service] ?? c.name;
        say(`Stopping ${name}…`);
        try {
          await engine.stop(c.id, opts.timeoutMs);
          say(`Stopped ${name}`);
          return describe(c, "stopped");
        } catch (e) {
          say(`Failed ${name}: ${(e as Error).message}`);
          return describe(c, "failed", (e as Error).message);
        }
      }),
    ),
  );
}
