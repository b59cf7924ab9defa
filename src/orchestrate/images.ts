/** Images: built through the engine from mcps/<type> when missing (or always with --build), once per run. */
import path from "node:path";
import type { ContainerEngine } from "../engine/container-engine.js";
import { EngineError } from "../errors.js";
import { LABEL, type ServicePlan } from "../plan/types.js";

export interface ImageOptions {
  rebuild: boolean;
  buildArgs: Record<string, string>;
  onProgress?: (line: string) => void;
}

export function imageEnsurer(engine: ContainerEngine, project: string, opts: ImageOptions) {
  const pending = new Map<string, Promise<void>>();
  const ensure = async (s: ServicePlan): Promise<void> => {
    if (!opts.rebuild && (await engine.imageId(s.image)) !== undefined) return;
    if (!s.build) {
      throw new EngineError(`image ${s.image} is not present and cannot be pulled by mcps; pull or load it first`);
    }
    opts.onProgress?.(`Building ${s.image} from ${s.build.contextDir}…`);
    const started = Date.now();
    await engine.build({
      contextDir: path.resolve(s.build.contextDir),
      dockerfile: s.build.dockerfile,
      tag: s.image,
      buildArgs: { BASE_IMAGE: s.build.baseImage, ...opts.buildArgs },
      labels: { [LABEL.project]: project, [LABEL.type]: s.type },
    });
    opts.onProgress?.(`Built ${s.image} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  };
  /** Several services share an image: the first caller builds, the others wait for it. */
  return (s: ServicePlan): Promise<void> => {
    let p = pending.get(s.image);
    if (!p) {
      p = ensure(s);
      pending.set(s.image, p);
    }
    return p;
  };
}
