/** The names a plan gives services, containers and images, in one place. */

export const DEFAULT_PROJECT = "mcps";

export function serviceName(type: string, customerId: string): string {
  return `mcp-${type}-${customerId}`;
}

/** The default project keeps the plain service names; any other is prefixed, so projects never share a name. */
export function containerName(project: string, service: string): string {
  return project === DEFAULT_PROJECT ? service : `${project}-${service}`;
}

/** A customer's network. */
export function networkName(project: string, customerId: string): string {
  return `${project}-${customerId}`;
}

/** Locally built images: mcps/<type>:<digest> in the default project, mcps/<project>/<type>:<digest> otherwise. */
export function builtImage(project: string, type: string, contextDigest: string): string {
  const repo = project === DEFAULT_PROJECT ? `mcps/${type}` : `mcps/${project}/${type}`;
  return `${repo}:${contextDigest.slice(0, 12)}`;
}
