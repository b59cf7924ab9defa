/**
 * The targets `mcps generate --target` renders the one plan for. Each is a pure render of the
 * (selected) plan to text; generate.ts does the reading, checking and writing for all of them.
 * A new target is one more entry here.
 */
import { regenerateLines } from "../compose/regenerate-lines.js";
import { composeDocument } from "../compose/compose-document.js";
import { renderYaml } from "../compose/render-yaml.js";
import { type EnvFormats, manifestStream } from "../kubernetes/render-kubernetes.js";
import type { Plan, ServicePlan } from "../plan/types.js";
import { stackDocument } from "../swarm/stack-document.js";
import { stackHeader } from "../swarm/stack-header.js";
import type { TargetName } from "./target-names.js";

export interface TargetContext {
  /** Paths as the header writes them: relative to the output's folder, posix separators. */
  config: string;
  catalog: string;
  /** The command that writes the output again (the header quotes it). */
  regenerate: string;
  dev: boolean;
  publish: boolean;
  imagePrefix?: string;
  /** A type's build context relative to the output's folder. */
  contextPath(service: ServicePlan): string;
  /** Kubernetes: the catalog's config formats, which tell upstream addresses (egress ports) apart. */
  formats?: EnvFormats;
}

export interface GenerateTarget {
  /** Where the output goes when --out is not given. */
  defaultOut: string;
  /** Flags that make no sense for this target; given anyway, they are a usage error. */
  refuses: Array<"dev" | "publish">;
  render(plan: Plan, ctx: TargetContext): string;
}

export const TARGETS = {
  compose: {
    defaultOut: "docker-compose.mcps.yml",
    refuses: ["publish"],
    render: (plan, ctx) =>
      renderYaml(composeDocument(plan, { dev: ctx.dev, contextPath: ctx.contextPath }), {
        header: [
          ...regenerateLines(ctx.regenerate, ctx),
          "Credentials appear only as ${VAR} references: export them, or `docker-compose --env-file mcp_credentials.env ...`.",
          ctx.dev
            ? "Developer stack: docker-compose -f <this file> up -d --build   (no profiles, no restart policy)"
            : "Start one customer: docker-compose -f <this file> --profile <customer-id> up -d",
        ],
      }),
  },
  swarm: {
    defaultOut: "docker-stack.mcps.yml",
    refuses: ["dev"],
    render: (plan, ctx) =>
      renderYaml(stackDocument(plan, { publish: ctx.publish }), {
        header: stackHeader({
          config: ctx.config,
          catalog: ctx.catalog,
          regenerate: ctx.regenerate,
          publish: ctx.publish,
          localImages: !ctx.imagePrefix && plan.services.some((s) => s.build),
        }),
      }),
  },
  // A folder (generate-kubernetes.ts); this is the `--out -` form: every applied object in one
  // stream for `kubectl apply -f -` (no kustomization, no example Secret).
  kubernetes: {
    defaultOut: "k8s",
    refuses: ["dev", "publish"],
    render: (plan, ctx) => manifestStream(plan, { ...(ctx.formats && { formats: ctx.formats }), header: [`Regenerate: ${ctx.regenerate}`] }),
  },
} satisfies Record<TargetName, GenerateTarget>;
