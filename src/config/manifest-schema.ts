/**
 * The zod schema of a type manifest (mcps/<type>/mcp.yaml). Adding an MCP type is adding a folder
 * that satisfies this schema: no code change.
 */
import path from "node:path";
import { z } from "zod";
import { FORMATS, FORMATS_DESCRIPTION } from "./formats.js";
import { imageReferenceProblem } from "./image-reference.js";
import { DURATION, durationMs } from "./duration.js";
import { ENV_NAME, noProtoKey, ResourcesSchema } from "./schema.js";

export { DURATION, durationMs } from "./duration.js";
const Duration = z.string().regex(DURATION, 'must be a duration like "30s" or "1m30s"');

export const ConfigKeySchema = z
  .strictObject({
    required: z.boolean().default(false),
    secret: z.boolean().default(false).describe("The value names an environment variable holding a secret; the key must end in _env"),
    env: z.string().regex(ENV_NAME, "must be a valid variable name").describe("Container variable it becomes"),
    default: z.union([z.string(), z.number(), z.boolean()]).optional(),
    description: z.string().optional(),
    format: z.enum(FORMATS).optional().describe(FORMATS_DESCRIPTION),
  })
  .refine((k) => !(k.secret && k.default !== undefined), "a secret key cannot have a default");
/** @public One key of a manifest's config, as parsed (STYLE.md: export the inferred types). */
export type ConfigKey = z.output<typeof ConfigKeySchema>;

const RequiredResources = ResourcesSchema.required();

/** A key that would reach an object's prototype is never a config key or a variable name here. */
const NO_PROTO = noProtoKey("__proto__ is not allowed as a key");

/** An image reference compose can never read as a variable (see image-reference.ts). */
const ImageReference = z
  .string()
  .min(1)
  .superRefine((ref, ctx) => {
    const problem = imageReferenceProblem(ref);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });

/** Relative, inside the type's folder; the catalog checks it again after resolving symlinks. */
const DockerfilePath = z
  .string()
  .min(1)
  .refine((p) => !path.isAbsolute(p) && !path.win32.isAbsolute(p), "must be a path relative to the type's folder")
  .refine((p) => !path.normalize(p).split(/[\\/]/).includes(".."), "must stay inside the type's folder (no ..)")
  .refine((p) => !p.includes("\0"), "must not contain NUL");

/**
 * Relative to the type's folder; the catalog then allows only the type's folder itself or the
 * catalog folder, checked after resolving symlinks (build-paths.ts).
 */
const ContextPath = z
  .string()
  .min(1)
  .refine((p) => !path.isAbsolute(p) && !path.win32.isAbsolute(p), "must be a path relative to the type's folder")
  .refine((p) => !p.includes("\0"), "must not contain NUL");

/**
 * Two config keys filling one container variable, or a key overwriting a fixed `env` entry, would
 * make one value silently replace the other: each container variable has exactly one source.
 */
function checkEnvSources(m: { config: Record<string, { env: string }>; env: Record<string, string> }, ctx: z.RefinementCtx): void {
  const owner = new Map<string, string>();
  for (const [key, spec] of Object.entries(m.config)) {
    const first = owner.get(spec.env);
    if (first !== undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["config", key, "env"],
        message: `${spec.env} is also the env of config key "${first}": config keys "${first}" and "${key}" would overwrite each other`,
      });
    } else if (Object.hasOwn(m.env, spec.env)) {
      ctx.addIssue({
        code: "custom",
        path: ["config", key, "env"],
        message: `${spec.env} is also set by the fixed env (env.${spec.env}): config key "${key}" and env.${spec.env} would overwrite each other`,
      });
    } else owner.set(spec.env, key);
  }
}

export const ManifestSchema = z
  .strictObject({
    $schema: z.string().optional(),
    description: z.string().min(1),
    image: ImageReference.optional().describe("Image to run; with build, the tag to build to"),
    build: z
      .strictObject({
        context: ContextPath.default(".").describe(
          'Build context, relative to the type\'s folder: "." (the type\'s folder) or ".." (the catalog folder, so the Dockerfile can also copy the catalog\'s shared _-prefixed folders, e.g. _bridge)',
        ),
        dockerfile: DockerfilePath.default("Dockerfile").describe("Path of the Dockerfile inside the type's folder"),
        base_image: ImageReference.describe("Default of the Dockerfile's BASE_IMAGE build argument"),
      })
      .optional()
      .describe("Build the image from this folder"),
    port: z.number().int().min(1).max(65535).describe("Port the server listens on inside the container"),
    transport: z.enum(["streamable-http", "sse"]),
    path: z
      .string()
      .regex(/^\/\S*$/, "must start with / and contain no spaces")
      .refine((p) => !/[${}]/.test(p), "must not contain $, { or }: compose would read them as a variable")
      .describe("HTTP path of the MCP endpoint"),
    command: z.array(z.string()).optional().describe("Overrides the image's command"),
    config: z
      .preprocess(NO_PROTO, z.record(z.string().regex(/^[a-z][a-z0-9_]*$/, "must be snake_case"), ConfigKeySchema).default({}))
      .describe("Keys a customer's server config may carry"),
    env: z.preprocess(NO_PROTO, z.record(z.string().regex(ENV_NAME), z.string()).default({})).describe("Fixed container environment"),
    resources: RequiredResources.describe("Default limits"),
    // A 5 s interval: Docker runs the first check one interval after start, and neither this engine
    // (API 1.41) nor docker-compose 1.29 knows start_interval, so the interval is also the time to healthy.
    // A full check is a node start (about 0.11 s of CPU), 2% of a core per container at 5 s; so a passed
    // check is trusted for `trust_for`, and the checks in between cost a shell's 2 ms (container-probe.ts).
    // The timeout stays 10 s: in a 0.25-CPU container on a busy host, node's start alone has taken over 5 s.
    healthcheck: z
      .strictObject({
        interval: Duration.default("5s").describe("how often Docker runs the check"),
        timeout: Duration.default("10s").describe("how long one check may take"),
        retries: z.number().int().min(1).default(3).describe("failed checks in a row before Docker calls it unhealthy"),
        start_period: Duration.default("30s").describe("failures in this time after start do not count"),
        trust_for: Duration.default("60s").describe(
          "how long a passed MCP exchange is trusted: checks in between cost a shell, not a node start (0s: every check in full)",
        ),
      })
      .default(() => ({ interval: "5s", timeout: "10s", retries: 3, start_period: "30s", trust_for: "60s" })),
  })
  .superRefine((m, ctx) => {
    if (!m.image && !m.build) ctx.addIssue({ code: "custom", path: [], message: "needs image, build, or both" });
    for (const [key, spec] of Object.entries(m.config)) {
      if (spec.secret !== key.endsWith("_env")) {
        const message = spec.secret ? "a secret key must end in _env" : "a key ending in _env must be secret: true";
        ctx.addIssue({ code: "custom", path: ["config", key], message });
      }
    }
    checkEnvSources(m, ctx);
  });
export type Manifest = z.output<typeof ManifestSchema>;

/** A manifest's health check in milliseconds: parsed once, where the catalog reads the manifest. */
export interface HealthTiming {
  intervalMs: number;
  timeoutMs: number;
  retries: number;
  startPeriodMs: number;
  trustForMs: number;
}

export function healthTiming(hc: Manifest["healthcheck"]): HealthTiming {
  return {
    intervalMs: durationMs(hc.interval),
    timeoutMs: durationMs(hc.timeout),
    retries: hc.retries,
    startPeriodMs: durationMs(hc.start_period),
    trustForMs: durationMs(hc.trust_for),
  };
}
