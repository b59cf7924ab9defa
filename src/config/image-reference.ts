/**
 * Docker image references, in the grammar the registry client parses (`[domain[:port]/]path[:tag][@digest]`).
 * A manifest's image and base image are written into the compose file, one of them inside a
 * `${BASE_IMAGE:-...}` default: only a reference made of these characters can never be read by
 * compose as a variable, close that default early, or name something other than an image.
 */

// Written from the grammar's productions, one per line, so each can be checked against it.
const DOMAIN_COMPONENT = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
const HOST = `(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[0-9a-fA-F:]+\\])`;
const DOMAIN = `${HOST}(?::[0-9]+)?`;
const SEPARATOR = "(?:[_.]|__|-+)";
const PATH_COMPONENT = `[a-z0-9]+(?:${SEPARATOR}[a-z0-9]+)*`;
const PATH = `${PATH_COMPONENT}(?:/${PATH_COMPONENT})*`;
const TAG = "[\\w][\\w.-]{0,127}";
const DIGEST = "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}";

const REFERENCE = new RegExp(`^(?:${DOMAIN}/)?${PATH}(?::${TAG})?(?:@${DIGEST})?$`);

/** The name part (everything before the tag and digest) may be at most this long. */
const NAME_MAX = 255;

/** Why `ref` is not a usable image reference, or undefined when it is. */
export function imageReferenceProblem(ref: string): string | undefined {
  if (/[${}]/.test(ref)) return "must not contain $, { or }: compose would read them as a variable";
  if (!REFERENCE.test(ref)) return 'must be an image reference like "node:20-bookworm-slim" or "ghcr.io/org/name:1.2"';
  const name = ref.replace(/@.*$/, "").replace(/:[\w][\w.-]*$/, "");
  if (name.length > NAME_MAX) return `must have a name of at most ${NAME_MAX} characters`;
  return undefined;
}
