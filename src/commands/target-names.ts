/**
 * The names `generate --target` accepts, apart from their renderers so the command line can offer
 * them without loading any. generate-targets.ts must have exactly one entry per name (type-checked).
 */
export const TARGET_NAMES = ["compose", "swarm", "kubernetes"] as const;

export type TargetName = (typeof TARGET_NAMES)[number];
