/**
 * Whose container is it? Only containers carrying this project's label are ever started, stopped,
 * replaced or removed. A container under our name from another mcps project, or made by hand, is
 * left alone and named in the reason.
 */
import type { ContainerState } from "../engine/container-engine.js";
import { LABEL } from "../plan/types.js";

export class NotOurs extends Error {
  override name = "NotOurs";
}

export function checkOwner(c: ContainerState, project: string): void {
  const owner = c.labels[LABEL.project];
  if (owner === project) return;
  if (owner !== undefined) {
    throw new NotOurs(
      `a container named ${c.name} belongs to mcps project ${JSON.stringify(owner)}, not ${JSON.stringify(project)}; give the projects distinct names or remove it with that project's config`,
    );
  }
  throw new NotOurs(`a container named ${c.name} exists that mcps did not create (it has no ${LABEL.project} label); rename or remove it`);
}
