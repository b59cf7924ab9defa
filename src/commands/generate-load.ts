/** The front half of `mcps generate`: options resolved against the target, the plan loaded and selected, the header's context. */
import path from "node:path";
import { UsageError } from "../errors.js";
import { envFormats } from "../kubernetes/render-kubernetes.js";
import { loadPlan } from "../load/load-plan.js";
import { narrowPlan, selectServices } from "../plan/select.js";
import type { Plan } from "../plan/types.js";
import { type Target, type TargetContext, TARGETS } from "./generate-targets.js";
import { TARGET_NAMES, type TargetName } from "./target-names.js";

export interface GenerateOptions {
  config: string;
  catalog: string;
  /** "-" prints to stdout; undefined: the target's default file, beside the config. */
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

const posix = (p: string) => p.split(path.sep).join("/");

export type Resolved = GenerateOptions & { out: string; target: TargetName };

export function resolve(opts: GenerateOptions): Resolved {
  const target = opts.target ?? "compose";
  const spec: Target = TARGETS[target];
  if (!spec) throw new UsageError(`--target ${JSON.stringify(target)}: expected one of ${TARGET_NAMES.join(", ")}`);
  for (const flag of spec.refuses) if (opts[flag]) throw new UsageError(`--${flag} does not apply to --target ${target}`);
  return { ...opts, target, out: opts.out ?? besideConfig(opts.config, spec.defaultOut) };
}

/** A default file or folder lives beside the config, as compose reads paths relative to its own file. */
export const besideConfig = (config: string, name: string): string => path.join(path.dirname(config), name);

const quoted = (p: string) => (/^[\w./-]+$/.test(p) ? p : JSON.stringify(p));

/**
 * The command line that writes the same output again, as the file's header quotes it: as typed in
 * the folder that holds the output, so the header (and so --check) is the same whichever folder
 * mcps ran from. Options at their default there are left out.
 */
export function regenerateCommand(opts: Resolved): string {
  const from = opts.out === "-" ? process.cwd() : path.dirname(path.resolve(opts.out));
  const rel = (p: string) => posix(path.relative(from, path.resolve(p)) || ".");
  const config = rel(opts.config);
  const catalog = rel(opts.catalog);
  const out = opts.out === "-" ? "-" : rel(opts.out);
  const args = [
    ...(config !== "mcp_servers.json" ? ["--config", quoted(config)] : []),
    ...(catalog !== rel(besideConfig(opts.config, "mcps")) ? ["--catalog", quoted(catalog)] : []),
    ...(opts.target !== "compose" ? ["--target", opts.target] : []),
    ...(opts.dev ? ["--dev"] : []),
    ...(opts.publish ? ["--publish"] : []),
    ...(opts.imagePrefix !== undefined ? ["--image-prefix", opts.imagePrefix] : []),
    ...(opts.customers ?? []).flatMap((c) => ["--customer", /^[\w.-]+$/.test(c) ? c : JSON.stringify(c)]),
    ...(out === TARGETS[opts.target].defaultOut ? [] : ["--out", quoted(out)]),
  ];
  return ["mcps generate", ...args].join(" ");
}

export interface Rendered {
  plan: Plan;
  selected: Plan;
  ctx: TargetContext;
  previousText?: string;
  warnings: string[];
}

/** Loads and selects the plan; `previous` is the file whose host ports are kept (none for a folder). */
export async function load(opts: Resolved, previous: string | undefined): Promise<Rendered> {
  const { plan, catalog, previousText, warnings } = await loadPlan({
    config: opts.config,
    catalog: opts.catalog,
    ...(previous !== undefined && { compose: previous }),
    ...(opts.imagePrefix !== undefined && { imagePrefix: opts.imagePrefix }),
    ...(opts.dev && { dev: true }),
  });
  const selected = opts.customers?.length ? narrowPlan(plan, selectServices(plan, { customers: opts.customers })) : plan;
  // Header paths are relative to where the output is: a file's folder, or a folder target's folder itself.
  const { folder }: Target = TARGETS[opts.target];
  const outDir = folder && opts.out !== "-" ? path.resolve(opts.out) : path.dirname(path.resolve(opts.out));
  const ctx: TargetContext = {
    config: posix(path.relative(outDir, path.resolve(opts.config)) || opts.config),
    catalog: posix(path.relative(outDir, path.resolve(opts.catalog)) || "."),
    regenerate: regenerateCommand(opts),
    dev: opts.dev ?? false,
    publish: opts.publish ?? false,
    ...(opts.imagePrefix !== undefined && { imagePrefix: opts.imagePrefix }),
    contextPath: (s) => posix(path.relative(outDir, path.resolve(s.build!.contextDir))),
    formats: envFormats(catalog),
  };
  if (opts.publish) {
    warnings.push(
      `--publish: ${selected.services.length} host ports are open on every interface of every node that runs a task; the MCP servers have no authentication and hold customer credentials`,
    );
  }
  return { plan, selected, ctx, warnings, ...(previousText !== undefined && { previousText }) };
}

export const counts = (r: Rendered) => ({ services: r.selected.services.length, customers: r.selected.networks.length });
