/**
 * `--image-prefix REGISTRY/`: where the locally built images are pushed, so every node of a
 * cluster can pull them. Part of the plan (the image is hashed), so compose, start and the
 * distributed targets all name the same image.
 */
import { imageReferenceProblem } from "../config/image-reference.js";

/** Why `prefix` cannot stand before "mcps/<type>:<digest>", or undefined when it can. */
export function imagePrefixProblem(prefix: string): string | undefined {
  if (!prefix.endsWith("/")) return 'must end with "/", like "registry.example.com:5000/team/"';
  // Checked as it will be used: in front of a built image's name.
  const problem = imageReferenceProblem(`${prefix}mcps/type:0123456789ab`);
  return problem?.replace(/^must be an image reference like .*/, 'must be a registry and path like "registry.example.com:5000/team/"');
}
