/**
 * `mcps generate --target kubernetes`: the plan as a folder for `kubectl apply -k` (default k8s/),
 * written whole (io/write-folder.ts), or compared file by file with --check. The folder is checked
 * before anything is read, like the compose file.
 */
import path from "node:path";
import { type FolderTarget, folderTarget } from "../io/folder-target.js";
import type { ProtectedInput } from "../io/output-target.js";
import { folderDifferences, KUBERNETES_OWNERSHIP, writeFolder } from "../io/write-folder.js";
import { envFormats, renderKubernetes } from "../kubernetes/render-kubernetes.js";
import { narrowPlan, selectServices } from "../plan/select.js";
import type { GenerateOptions, GenerateResult } from "./generate.js";
import { loadPlan } from "../load/load-plan.js";

const posix = (p: string) => p.split(path.sep).join("/");

export function kubernetesHeader(opts: GenerateOptions & { out: string }, regenerate: string): string[] {
  const outDir = path.resolve(opts.out);
  const config = posix(path.relative(outDir, path.resolve(opts.config)));
  const catalog = posix(path.relative(outDir, path.resolve(opts.catalog)));
  return [
    `From ${config} and the type catalog in ${catalog}/ (paths relative to this folder). Run \`${regenerate}\` to write it again;`,
    `CI: \`${regenerate} --check\` exits 1 when a file is stale. Apply: kubectl apply -k <this folder>.`,
  ];
}

/** Renders the selected plan; ports are not read from any previous file (no Kubernetes object has a host port). */
export async function renderKubernetesFiles(opts: GenerateOptions & { out: string }, regenerate: string) {
  const { plan, catalog, warnings } = await loadPlan({
    config: opts.config,
    catalog: opts.catalog,
    ...(opts.imagePrefix !== undefined && { imagePrefix: opts.imagePrefix }),
  });
  const selected = opts.customers?.length ? narrowPlan(plan, selectServices(plan, { customers: opts.customers })) : plan;
  const files = renderKubernetes(selected, { formats: envFormats(catalog), header: kubernetesHeader(opts, regenerate) });
  return { files, plan, selected, warnings };
}

export async function generateKubernetes(
  opts: GenerateOptions & { out: string },
  regenerate: string,
  inputs: (envFile?: string) => ProtectedInput[],
): Promise<GenerateResult> {
  const target: FolderTarget = await folderTarget(opts.out, inputs(), KUBERNETES_OWNERSHIP);
  const { files, plan, selected, warnings } = await renderKubernetesFiles(opts, regenerate);
  const counts = { services: selected.services.length, customers: selected.networks.length };
  if (opts.check) {
    const differences = folderDifferences(target.previous, files);
    return differences.length ? { kind: "stale", out: opts.out, differences, warnings } : { kind: "current", out: opts.out, warnings };
  }
  // The config may name its own credentials file: check once more now that we know it.
  const checked = plan.envFile ? await folderTarget(opts.out, inputs(plan.envFile), KUBERNETES_OWNERSHIP) : target;
  const written = await writeFolder(checked, files);
  if (written.keptOld)
    warnings.push(`${opts.out}: files mcps did not write appeared while writing; the previous folder was kept as ${written.keptOld}`);
  return { kind: "written", out: opts.out, ...counts, unchanged: written.unchanged, warnings };
}
