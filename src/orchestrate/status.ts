/**
 * status: one engine query by label for the whole fleet, inspects in parallel (bounded), and MCP probes
 * through the published ports. The probes need only the plan, so they start first and run while the
 * engine is asked: a status of 30 services takes about as long as its slowest probe.
 * The verdict is verdict.ts's (the one serve and heal read too); the exit-code rule is here (allOk);
 * rendering is the CLI's (src/output/).
 */
import pLimit from "p-limit";
import type { ContainerDetails, ContainerEngine, ContainerState, Health, RunState } from "../engine/container-engine.js";
import { probeMcp, type ProbeResult } from "../health/mcp-probe.js";
import { LABEL, type Plan, type ServicePlan } from "../plan/types.js";
import { blankSecrets, staleReasons } from "./staleness.js";
import { currentHealth, orphanVerdict, type VerdictKind, verdict } from "./verdict.js";

export interface ServiceStatus {
  service: string;
  /** The container's name in the engine; undefined when there is none. */
  container?: string;
  customer: string;
  type: string;
  state: RunState | "missing";
  health: Health;
  verdict: VerdictKind;
  /** Counts for the exit code: false makes status exit 1 (ok; or stopped, unless its customer was named). */
  ok: boolean;
  mcp: ProbeResult | null;
  url: string;
  image?: string;
  imageId?: string;
  details?: ContainerDetails;
  /** What differs from the plan; empty when current. */
  stale: string[];
  /** Referenced variables that reached the container blank (names only). */
  misconfigured: string[];
  orphan: boolean;
  note: string;
}

export interface StatusSummary {
  total: number;
  ok: number;
  starting: number;
  /** Stopped on purpose or never created (see verdict.ts); missing ones are counted under missing. */
  stopped: number;
  running: number;
  missing: number;
  unhealthy: number;
  stale: number;
  orphans: number;
  /** Orphans that are not healthy-running: they make status exit 1 too. */
  orphansNotOk: number;
}

export interface StatusReport {
  project: string;
  /** ISO 8601, when this report was taken. */
  checkedAt: string;
  probed: boolean;
  services: ServiceStatus[];
  summary: StatusSummary;
}

export interface StatusOptions {
  probe: boolean;
  concurrency: number;
  timeoutMs: number;
  includeOrphans: boolean;
  /** Customers were named: a stopped one then fails status (it was asked for), else it does not. */
  asked?: boolean;
  now?: () => number;
  /**
   * Where probe results come from; default a fresh probe. `mcps serve` answers from the results it
   * holds (undefined before its first probe: the verdict is then Docker's alone).
   */
  prober?: (s: ServicePlan, timeoutMs: number) => Promise<ProbeResult | undefined>;
}

/** The engine reads status makes: `mcps serve` answers them from the view it holds. */
export type StatusEngine = Pick<ContainerEngine, "list" | "listNetworks" | "inspect" | "imageId">;

export async function fleetStatus(engine: StatusEngine, plan: Plan, services: ServicePlan[], opts: StatusOptions): Promise<StatusReport> {
  const nowMs = (opts.now ?? Date.now)();
  const probeLimit = pLimit(Math.max(opts.concurrency, 1));
  const probes = new Map<string, Promise<ProbeResult | undefined>>();
  if (opts.probe)
    for (const s of services)
      probes.set(
        s.name,
        probeLimit(() => (opts.prober ? opts.prober(s, opts.timeoutMs) : probeMcp(s.url, s.transport, { timeoutMs: opts.timeoutMs }))),
      );

  const [containers, networks] = await Promise.all([
    engine.list({ [LABEL.project]: plan.project }),
    engine.listNetworks({ [LABEL.project]: plan.project }),
  ]);
  const networkIds = new Map(networks.map((n) => [n.name, n.id]));
  const inspectLimit = pLimit(16);
  const details = new Map<string, ContainerDetails>();
  const images = new Map<string, Promise<string | undefined>>();
  const imageOf = (ref: string) => images.get(ref) ?? images.set(ref, engine.imageId(ref)).get(ref)!;
  await Promise.all(
    containers.map((c) => inspectLimit(async () => void details.set(c.id, (await engine.inspect(c.id)) ?? { ...placeholder, ...c }))),
  );
  // By container name, not by the service label: a replacement being swapped in (<name>-mcps-next)
  // carries the same label and must not stand in for the container that serves.
  const byName = new Map(containers.map((c) => [c.name, details.get(c.id)!]));

  const rows = await Promise.all(
    services.map(async (s): Promise<ServiceStatus> => {
      const c = byName.get(s.containerName);
      const mcpResult = await probes.get(s.name);
      const mcp = c?.state === "running" && mcpResult ? mcpResult : null;
      const stale = c ? staleReasons(s, { details: c, imageId: await imageOf(s.image), networkId: networkIds.get(s.network.name) ?? "" }) : [];
      const misconfigured = c ? blankSecrets(s, c) : [];
      const v = verdict(s, { container: c, ...(mcp && { probe: mcp }), stale, misconfigured, nowMs });
      return {
        ...base(s.name, s.customerId, s.type, c),
        verdict: v.kind,
        ok: v.kind === "ok" || (v.kind === "stopped" && !opts.asked),
        mcp,
        url: s.url,
        image: s.image,
        stale,
        misconfigured,
        orphan: false,
        note: v.reason,
      };
    }),
  );
  const planned = new Set(plan.services.map((s) => s.containerName));
  const orphans: ServiceStatus[] = !opts.includeOrphans
    ? []
    : containers
        .filter((c) => !planned.has(c.name))
        .map((summary) => {
          const c = details.get(summary.id)!;
          const v = orphanVerdict(c);
          const row = base(c.labels[LABEL.service] ?? c.name, c.labels[LABEL.customer] ?? "", c.labels[LABEL.type] ?? "", c);
          return {
            ...row,
            verdict: v.kind,
            ok: v.kind === "ok",
            mcp: null,
            url: "",
            stale: [],
            misconfigured: [],
            orphan: true,
            note: v.reason,
          };
        });
  // CUSTOMER is the first column: rows by customer, then type (the plan is ordered by service name, type first).
  const byCustomer = (a: ServiceStatus, b: ServiceStatus) => a.customer.localeCompare(b.customer) || a.type.localeCompare(b.type);
  const all = [...rows.sort(byCustomer), ...orphans.sort(byCustomer)];
  return { project: plan.project, checkedAt: new Date(nowMs).toISOString(), probed: opts.probe, services: all, summary: summarize(rows, orphans) };
}

/** A container that vanished between list and inspect: reported with what list said. */
const placeholder: Omit<ContainerDetails, keyof ContainerState> = {
  createdAt: "",
  exitCode: 0,
  restartCount: 0,
  oomKilled: false,
  healthFailingStreak: 0,
  emptyEnv: [],
  settings: {
    cpus: 0,
    memoryBytes: 0,
    pids: 0,
    restart: "",
    ports: [],
    networks: [],
    networkIds: [],
    init: false,
    capDrop: [],
    securityOpt: [],
    logging: { driver: "", options: {} },
  },
};

function base(service: string, customer: string, type: string, c: ContainerDetails | undefined) {
  return {
    service,
    customer,
    type,
    state: c?.state ?? ("missing" as const),
    health: currentHealth(c),
    ...(c && { container: c.name, imageId: c.imageId, details: c }),
  };
}

function summarize(rows: ServiceStatus[], orphans: ServiceStatus[]): StatusSummary {
  return {
    total: rows.length,
    ok: rows.filter((r) => r.ok).length,
    starting: rows.filter((r) => r.verdict === "starting").length,
    stopped: rows.filter((r) => r.verdict === "stopped" && r.state !== "missing").length,
    running: rows.filter((r) => r.state === "running").length,
    missing: rows.filter((r) => r.state === "missing").length,
    unhealthy: rows.filter((r) => r.health === "unhealthy").length,
    stale: rows.filter((r) => r.stale.length > 0).length,
    orphans: orphans.length,
    orphansNotOk: orphans.filter((r) => !r.ok).length,
  };
}

/** The documented exit-code rule: 0 only when every planned service and every orphan is ok. */
export const allOk = (r: StatusReport) => r.services.every((s) => s.ok);
