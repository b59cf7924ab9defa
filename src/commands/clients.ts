/** `mcps clients export`: the plan -> one client's config, on stdout or written atomically. */
import { writeOutput } from "../io/atomic-write.js";
import { outputTarget, type ProtectedInput } from "../io/output-target.js";
import { parseClientFormat } from "../clients/client-format.js";
import { clientConfigForPlan } from "../clients/export-plan.js";
import { gatewayBase } from "../clients/gateway-entries.js";
import { UsageError } from "../errors.js";
import { generateInputs } from "./generate.js";
import { loadPlan } from "../load/load-plan.js";

export interface ClientsExportOptions {
  config: string;
  catalog: string;
  /** The generated compose file: read only, for the host ports it keeps stable (so the URLs are the ones `mcps start` serves). */
  compose: string;
  /** As typed; checked with parseClientFormat. */
  format: string | undefined;
  /** Ids or names; none means every customer. */
  customers: string[];
  /** Omitted or "-": stdout. */
  out?: string;
  /** "direct" (default: each server's own port) or "gateway" (one entry per customer at mcps serve). */
  via?: string;
  /** --gateway-url: where clients reach mcps serve; default its default listen address. */
  gatewayUrl?: string;
}

export type ClientsExportResult = ({ kind: "printed"; text: string } | { kind: "written"; out: string; fileName: string }) & {
  servers: number;
  customers: number;
  warnings: string[];
};

/** What export reads, and so must never write over: generate's inputs and the compose file. */
function exportInputs(opts: ClientsExportOptions, envFile?: string): ProtectedInput[] {
  return [...generateInputs(opts, envFile), { path: opts.compose, what: `the compose file (--compose ${opts.compose})` }];
}

function parseVia(opts: ClientsExportOptions): { gatewayUrl?: string } | undefined {
  if (opts.via !== undefined && opts.via !== "direct" && opts.via !== "gateway") {
    throw new UsageError(`--via ${JSON.stringify(opts.via)}: expected direct or gateway`);
  }
  if (opts.via !== "gateway") {
    if (opts.gatewayUrl !== undefined) throw new UsageError("--gateway-url needs --via gateway");
    return undefined;
  }
  // Checked now, before anything is read.
  gatewayBase(opts.gatewayUrl);
  return opts.gatewayUrl === undefined ? {} : { gatewayUrl: opts.gatewayUrl };
}

export async function clientsExport(opts: ClientsExportOptions): Promise<ClientsExportResult> {
  // Checked first: a bad format is reported before anything is read.
  parseClientFormat(opts.format);
  const via = parseVia(opts);
  // Checked before anything is read, like generate: nothing is rendered for a target that is refused.
  const target = await outputTarget(opts.out ?? "-", exportInputs(opts));
  const { plan, warnings } = await loadPlan({ config: opts.config, catalog: opts.catalog, compose: opts.compose });
  const rendered = clientConfigForPlan(plan, opts.format, opts.customers, via);
  const counts = { servers: rendered.servers, customers: rendered.customers, warnings };
  if (target.kind === "stdout") return { kind: "printed", text: rendered.text, ...counts };
  // The config may name its own credentials file: check once more now that it is known.
  const checked = plan.envFile ? await outputTarget(target.typed, exportInputs(opts, plan.envFile)) : target;
  if (checked.kind === "file") await writeOutput(checked, rendered.text);
  return { kind: "written", out: target.typed, fileName: rendered.fileName, ...counts };
}
