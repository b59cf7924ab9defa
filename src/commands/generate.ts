/** `mcps generate`: plan -> the output of a target (generate-targets.ts), written atomically, or checked for staleness. */
import { access, constants } from "node:fs/promises";
import path from "node:path";
import { composeDiff } from "../compose/compose-diff.js";
import { writeOutput } from "../io/atomic-write.js";
import { describeFsError, OutputError } from "../io/output-error.js";
import { outputTarget, type OutputTarget, type ProtectedInput } from "../io/output-target.js";
import { UsageError } from "../errors.js";
import { defaultCredentialsFile } from "../orchestrate/credentials.js";
import { narrowPlan, selectServices } from "../plan/select.js";
import { type GenerateTarget, TARGETS } from "./generate-targets.js";
import { TARGET_NAMES, type TargetName } from "./target-names.js";
import { generateKubernetes } from "./generate-kubernetes.js";
import { loadPlan } from "../load/load-plan.js";
import { envFormats } from "../kubernetes/render-kubernetes.js";

export interface GenerateOptions {
  config: string;
  catalog: string;
  /** "-" prints to stdout; undefined: the target's default file. */
  out?: string;
  check?: boolean;
  customers?: string[];
  /** A developer's stack: see ComposeOptions.dev. */
  dev?: boolean;
  /** Which engine the output is for; compose when unset. */
  target?: TargetName;
  /** Swarm: publish host ports (host mode, every interface). */
  publish?: boolean;
  /** Registry path before every built image (plan/image-prefix.ts). */
  imagePrefix?: string;
}

export type GenerateResult = (
  | { kind: "printed"; text: string; services: number; customers: number }
  | { kind: "written"; out: string; services: number; customers: number; unchanged: boolean }
  | { kind: "current"; out: string }
  | { kind: "stale"; out: string; differences: string[] }
) & { warnings: string[] };

const posix = (p: string) => p.split(path.sep).join("/");

export type Resolved = GenerateOptions & { out: string; target: TargetName };

function resolve(opts: GenerateOptions): Resolved {
  const target = opts.target ?? "compose";
  const spec: GenerateTarget = TARGETS[target];
  if (!spec) throw new UsageError(`--target ${JSON.stringify(target)}: expected one of ${TARGET_NAMES.join(", ")}`);
  for (const flag of spec.refuses) if (opts[flag]) throw new UsageError(`--${flag} does not apply to --target ${target}`);
  return { ...opts, target, out: opts.out ?? spec.defaultOut };
}

/** The command line that writes the same output again, as the file's header quotes it. */
export function regenerateCommand(opts: Resolved): string {
  const out = posix(path.relative(process.cwd(), path.resolve(opts.out)));
  const args = [
    ...(opts.target !== "compose" ? ["--target", opts.target] : []),
    ...(opts.dev ? ["--dev"] : []),
    ...(opts.publish ? ["--publish"] : []),
    ...(opts.imagePrefix !== undefined ? ["--image-prefix", opts.imagePrefix] : []),
    ...(opts.customers ?? []).flatMap((c) => ["--customer", /^[\w.-]+$/.test(c) ? c : JSON.stringify(c)]),
    ...(out === TARGETS[opts.target].defaultOut ? [] : ["--out", out]),
  ];
  return ["mcps generate", ...args].join(" ");
}

async function renderTarget(
  opts: Resolved,
  previous: string | undefined = opts.out,
): Promise<{ text: string; previousText?: string; services: number; customers: number; envFile?: string; warnings: string[] }> {
  const { plan, catalog, previousText, warnings } = await loadPlan({
    config: opts.config,
    catalog: opts.catalog,
    ...(previous !== undefined && { compose: previous }),
    ...(opts.imagePrefix !== undefined && { imagePrefix: opts.imagePrefix }),
  });
  const selected = opts.customers?.length ? narrowPlan(plan, selectServices(plan, { customers: opts.customers })) : plan;
  const outDir = path.dirname(path.resolve(opts.out));
  const text = TARGETS[opts.target].render(selected, {
    config: posix(path.relative(outDir, path.resolve(opts.config)) || opts.config),
    catalog: posix(path.relative(outDir, path.resolve(opts.catalog)) || "."),
    regenerate: regenerateCommand(opts),
    dev: opts.dev ?? false,
    publish: opts.publish ?? false,
    ...(opts.imagePrefix !== undefined && { imagePrefix: opts.imagePrefix }),
    contextPath: (s) => posix(path.relative(outDir, path.resolve(s.build!.contextDir))),
    formats: envFormats(catalog),
  });
  if (opts.publish) {
    warnings.push(
      `--publish: ${selected.services.length} host ports are open on every interface of every node that runs a task; the MCP servers have no authentication and hold customer credentials`,
    );
  }
  return {
    text,
    ...(previousText !== undefined && { previousText }),
    services: selected.services.length,
    customers: selected.networks.length,
    ...(plan.envFile !== undefined && { envFile: plan.envFile }),
    warnings,
  };
}

/** What generate reads, and so must never write over. */
export function generateInputs(opts: Pick<GenerateOptions, "config" | "catalog">, envFile?: string): ProtectedInput[] {
  return [
    { path: opts.config, what: `the config file (--config ${opts.config})` },
    { path: opts.catalog, what: `the catalog folder (--catalog ${opts.catalog})`, folder: true },
    // The credentials file is what `mcps start` and `docker-compose --env-file` read.
    { path: envFile ?? defaultCredentialsFile(opts.config), what: "the credentials file" },
  ];
}

/**
 * What a target other than compose must not write over either: the compose file keeps the host ports
 * that mcps start, status and clients export read, so a stack file or manifests written over it lose them.
 */
function targetInputs(opts: Resolved, envFile?: string): ProtectedInput[] {
  const inputs = generateInputs(opts, envFile);
  if (opts.target === "compose") return inputs;
  const compose = TARGETS.compose.defaultOut;
  return [...inputs, { path: compose, what: `the compose file (${compose}, the host ports mcps start and clients export read)` }];
}

export async function generate(given: GenerateOptions): Promise<GenerateResult> {
  const opts = resolve(given);
  // A folder, not a file: checked, compared and written as one (generate-kubernetes.ts).
  if (opts.target === "kubernetes" && opts.out !== "-") return generateKubernetes(opts, regenerateCommand(opts), (env) => targetInputs(opts, env));
  // Checked before anything is read: the previous output is read for its ports, and a FIFO would hang.
  const target = await outputTarget(opts.out, targetInputs(opts));
  if (target.kind === "stdout") {
    if (opts.check) throw new UsageError("--check compares with a file on disk; --out - has none");
    const { text, services, customers, warnings } = await renderTarget(opts, undefined);
    return { kind: "printed", text, services, customers, warnings };
  }
  if (target.mode !== undefined) {
    await access(target.file, constants.R_OK).catch((e) => {
      throw new OutputError(opts.out, describeFsError(e).replace(/^cannot write/, "cannot read"));
    });
  }
  const { text, previousText, services, customers, envFile, warnings } = await renderTarget(opts);
  if (opts.check) {
    if (previousText === text) return { kind: "current", out: opts.out, warnings };
    const differences = previousText === undefined ? ["the file does not exist"] : composeDiff(previousText, text);
    return { kind: "stale", out: opts.out, differences, warnings };
  }
  const unchanged = previousText === text;
  if (!unchanged) {
    // The config may name its own credentials file: check once more now that we know it.
    const checked: OutputTarget = envFile ? await outputTarget(opts.out, targetInputs(opts, envFile)) : target;
    if (checked.kind === "file") await writeOutput(checked, text);
  }
  return { kind: "written", out: opts.out, services, customers, unchanged, warnings };
}
