/**
 * Images: built through the engine from mcps/<type> when missing (or always with --build), once per
 * run per tag, and then identified by the image ID the tag points to: a container made from another ID
 * (an older build, another BASE_IMAGE) is stale.
 */
import path from "node:path";
import type { ContainerEngine } from "../engine/container-engine.js";
import { EngineError } from "../errors.js";
import { LABEL, type ServicePlan } from "../plan/types.js";

export interface ImageOptions {
  /** --build: build every selected image even when its tag is present. */
  rebuild: boolean;
  /** Used whenever a build happens; a build argument alone does not cause one. */
  buildArgs: Record<string, string>;
  onProgress?: (line: string) => void;
}

/** undefined: the tag is absent and mcps cannot build it (an `image:` type); creating must then fail. */
export type ImageResolver = (s: ServicePlan) => Promise<string | undefined>;

export function imageResolver(engine: ContainerEngine, project: string, opts: ImageOptions): ImageResolver {
  const pending = new Map<string, Promise<string | undefined>>();
  const resolve = async (s: ServicePlan): Promise<string | undefined> => {
    if (!opts.rebuild || !s.build) {
      const id = await engine.imageId(s.image);
      if (id !== undefined || !s.build) return id;
    }
    opts.onProgress?.(`Building ${s.image} from ${s.build.contextDir}…`);
    const started = Date.now();
    const buildArgs = { BASE_IMAGE: s.build.baseImage, ...opts.buildArgs };
    try {
      await engine.build({
        contextDir: path.resolve(s.build.contextDir),
        dockerfile: s.build.dockerfile,
        tag: s.image,
        buildArgs,
        labels: { [LABEL.project]: project, [LABEL.type]: s.type },
        onStep: (step) => opts.onProgress?.(`  ${s.type}: ${step}`),
      });
    } catch (e) {
      if (e instanceof Error && looksLikeRegistry(e.message)) e.message += registryHint(buildArgs.BASE_IMAGE);
      throw e;
    }
    opts.onProgress?.(`Built ${s.image} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return engine.imageId(s.image);
  };
  /** Several services share an image: the first caller builds, the others wait for it. */
  return (s) => {
    let p = pending.get(s.image);
    if (!p) {
      p = resolve(s);
      pending.set(s.image, p);
    }
    return p;
  };
}

/** The engine's words when a base image could not come from its registry (offline, unknown, private). */
function looksLikeRegistry(message: string): boolean {
  return /pull access denied|manifest unknown|not found: manifest|no such host|dial tcp|i\/o timeout|TLS handshake|failed to resolve|unauthorized|authentication required|connection refused|network is unreachable|registry/i.test(
    message,
  );
}

function registryHint(baseImage: string): string {
  return ` (the base image ${baseImage} could not be pulled: where no registry is reachable, build on a local image with --build-arg BASE_IMAGE=<image>; for a private registry, docker login first)`;
}

export function imageMissing(s: ServicePlan): EngineError {
  return new EngineError(`image ${s.image} is not present and cannot be pulled by mcps; pull or load it first`);
}
