/** `mcps generate`: plan -> the output of a target (generate-targets.ts), a file or a folder, written atomically, or checked for staleness. */
import { access, constants } from "node:fs/promises";
import { composeDiff } from "../compose/compose-diff.js";
import { UsageError } from "../errors.js";
import { writeOutput } from "../io/atomic-write.js";
import { folderTarget } from "../io/folder-target.js";
import { describeFsError, OutputError } from "../io/output-error.js";
import { outputTarget, type OutputTarget, type ProtectedInput } from "../io/output-target.js";
import { folderDifferences, writeFolder } from "../io/write-folder.js";
import { defaultCredentialsFile } from "../orchestrate/credentials.js";
import { counts, type GenerateOptions, load, type Rendered, type Resolved, resolve } from "./generate-load.js";
import { type CommandOutcome, failedIf } from "./command-outcome.js";
import { type Target, TARGETS } from "./generate-targets.js";

type Generated = (
  | { kind: "printed"; text: string; services: number; customers: number }
  | { kind: "written"; out: string; services: number; customers: number; unchanged: boolean }
  | { kind: "current"; out: string }
  | {
      kind: "stale";
      out: string;
      differences: string[];
      /** The command that writes it as checked (these options). */
      again: string;
      /** The command the file's own header says wrote it, when that differs: other options shaped it. */
      writtenBy?: string;
    }
) & { warnings: string[] };

/** Failed when --check finds the output stale. */
export type GenerateResult = Generated & { outcome: CommandOutcome };

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
  const { folder }: Target = TARGETS[opts.target];
  const r = await (folder && opts.out !== "-" ? generateFolder(opts, folder) : generateFile(opts));
  return { ...r, outcome: failedIf(r.kind === "stale") };
}

/** One file (or stdout): checked before anything is read, since the previous output is read for its ports and a FIFO would hang. */
async function generateFile(opts: Resolved): Promise<Generated> {
  const render = (r: Rendered) => TARGETS[opts.target].render(r.selected, r.ctx);
  const target = await outputTarget(opts.out, targetInputs(opts));
  if (target.kind === "stdout") {
    if (opts.check) throw new UsageError("--check compares with a file on disk; --out - has none");
    const r = await load(opts, undefined);
    return { kind: "printed", text: render(r), ...counts(r), warnings: r.warnings };
  }
  if (target.mode !== undefined) {
    await access(target.file, constants.R_OK).catch((e) => {
      throw new OutputError(opts.out, describeFsError(e).replace(/^cannot write/, "cannot read"));
    });
  }
  const r = await load(opts, opts.out);
  const text = render(r);
  const { previousText, warnings } = r;
  if (opts.check) {
    if (previousText === text) return { kind: "current", out: opts.out, warnings };
    const differences = previousText === undefined ? ["the file does not exist"] : composeDiff(previousText, text);
    const writtenBy = previousText === undefined ? undefined : headerCommand(previousText);
    const again = r.ctx.regenerate;
    return { kind: "stale", out: opts.out, differences, again, ...(writtenBy && writtenBy !== again && { writtenBy }), warnings };
  }
  const unchanged = previousText === text;
  if (!unchanged) {
    // The config may name its own credentials file: check once more now that we know it.
    const checked: OutputTarget = r.plan.envFile ? await outputTarget(opts.out, targetInputs(opts, r.plan.envFile)) : target;
    if (checked.kind === "file") await writeOutput(checked, text);
  }
  return { kind: "written", out: opts.out, ...counts(r), unchanged, warnings };
}

/** A folder, checked before anything is read like a file, then compared file by file (--check) or written whole (io/write-folder.ts). */
async function generateFolder(opts: Resolved, folder: NonNullable<Target["folder"]>): Promise<Generated> {
  const target = await folderTarget(opts.out, targetInputs(opts), folder.ownership);
  const r = await load(opts, undefined);
  const files = folder.files(r.selected, r.ctx);
  const { warnings } = r;
  if (opts.check) {
    const differences = folderDifferences(target.previous, files);
    return differences.length
      ? { kind: "stale", out: opts.out, differences, again: r.ctx.regenerate, warnings }
      : { kind: "current", out: opts.out, warnings };
  }
  // The config may name its own credentials file: check once more now that we know it.
  const checked = r.plan.envFile ? await folderTarget(opts.out, targetInputs(opts, r.plan.envFile), folder.ownership) : target;
  const written = await writeFolder(checked, files);
  if (written.keptOld)
    warnings.push(`${opts.out}: files mcps did not write appeared while writing; the previous folder was kept as ${written.keptOld}`);
  return { kind: "written", out: opts.out, ...counts(r), unchanged: written.unchanged, warnings };
}

/** The regenerate command a generated file's header quotes ("Do not edit: run `...`."), if it has one. */
export function headerCommand(text: string): string | undefined {
  const m = /^# .*Do not edit: run `(mcps generate[^`]*)`/m.exec(text.slice(0, 2000));
  return m?.[1];
}
