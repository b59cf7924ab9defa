/**
 * The targets `mcps generate --target` renders the one plan for. Each is a pure render of the
 * (selected) plan; generate.ts does the reading, checking (`--check`) and writing for all of them
 * alike, a file or a folder. A new target is one more entry here.
 */
import { regenerateLines } from "../compose/regenerate-lines.js";
import { composeDocument } from "../compose/compose-document.js";
import { renderYaml } from "../compose/render-yaml.js";
import type { FolderOwnership } from "../io/folder-target.js";
import { type EnvFormats, GENERATED_MARKER, KUSTOMIZATION, manifestStream, ownedFiles, renderKubernetes } from "../kubernetes/render-kubernetes.js";
import type { Plan, ServicePlan } from "../plan/types.js";
import { stackDocument } from "../swarm/stack-document.js";
import { stackHeader } from "../swarm/stack-header.js";
import type { TargetName } from "./target-names.js";

export interface TargetContext {
  /** Paths as the header writes them: relative to the folder the output is in (a folder target: the folder itself), posix separators. */
  config: string;
  catalog: string;
  /** The command that writes the output again (the header quotes it). */
  regenerate: string;
  dev: boolean;
  publish: boolean;
  imagePrefix?: string;
  /** A type's build context relative to the output's folder. */
  contextPath(service: ServicePlan): string;
  /** The catalog's config formats, which tell upstream addresses (Kubernetes egress ports) apart. */
  formats: EnvFormats;
}

export interface Target {
  /** Where the output goes when --out is not given. */
  defaultOut: string;
  /** Flags that make no sense for this target; given anyway, they are a usage error. */
  refuses: Array<"dev" | "publish">;
  /** The whole output as one text: the file itself, or (a folder target) one stream for `--out -`. */
  render(plan: Plan, ctx: TargetContext): string;
  /**
   * A target whose output is a folder: its files by relative path, and how a folder tells that mcps
   * wrote it (so a rewrite never deletes a file that is not ours). A folder keeps no host ports, so
   * no previous output is read for them.
   */
  folder?: { files(plan: Plan, ctx: TargetContext): Map<string, string>; ownership: FolderOwnership };
}

const kubernetesHeader = (ctx: TargetContext) => [
  `From ${ctx.config} and the type catalog in ${ctx.catalog}/ (paths relative to this folder). Run \`${ctx.regenerate}\` to write it again;`,
  `CI: \`${ctx.regenerate} --check\` exits 1 when a file is stale. Apply: kubectl apply -k <this folder>.`,
];

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
  kubernetes: {
    defaultOut: "k8s",
    refuses: ["dev", "publish"],
    // `--out -`: every applied object in one stream for `kubectl apply -f -` (no kustomization, no example Secret).
    render: (plan, ctx) => manifestStream(plan, { formats: ctx.formats, header: [`Regenerate: ${ctx.regenerate}`] }),
    folder: {
      files: (plan, ctx) => renderKubernetes(plan, { formats: ctx.formats, header: kubernetesHeader(ctx) }),
      // Ours: kustomization.yaml (its first line starts with the marker), the files it lists, and the example Secret.
      ownership: { index: KUSTOMIZATION, marker: GENERATED_MARKER, filesOf: ownedFiles },
    },
  },
} satisfies Record<TargetName, Target>;
