/**
 * Start, stop and switch per customer. One flight per customer: concurrent switches (or starts) of one
 * customer share one reconcile, and switches of different customers run in parallel up to a bound.
 * Start is `mcps start`'s own reconcile (startServices), with its credentials lookup.
 */
import pLimit from "p-limit";
import { policyFilter } from "../gateway/tool-policy.js";
import type { ContainerEngine } from "../engine/container-engine.js";
import type { Lookup } from "../orchestrate/credentials.js";
import type { Prober } from "../orchestrate/heal.js";
import { isFailure, type ServiceOutcome } from "../orchestrate/outcome.js";
import { startServices } from "../orchestrate/start.js";
import { type StopResult, stopContainers } from "../orchestrate/stop.js";
import type { ProbeResult } from "../health/mcp-probe.js";
import { LABEL, type ServicePlan } from "../plan/types.js";
import type { FleetStore } from "./fleet-store.js";
import type { ServeProber } from "./fleet-sync.js";
import type { IdleTracker } from "./idle-tracker.js";

/** A switch's tools listing: a healthy server answers in milliseconds; a slow start is already waited for. */
const SWITCH_PROBE_MS = 5000;

export interface SwitchResponse {
  success: boolean;
  customer: string;
  connected_mcps: string[];
  failed_mcps: Array<{ type: string; reason: string }>;
  tool_count: number;
  servers: Array<{ type: string; url: string; transport: string; tools: string[] }>;
}

export interface OperationsDeps {
  engine: ContainerEngine;
  store: FleetStore;
  prober: ServeProber;
  /** The probe start waits with (and heals by); default the host probe. Tests pass a fake. */
  waitProbe?: Prober;
  /** Read when a start needs it, so a rotated credential is used without restarting serve. */
  lookup: () => Promise<Lookup>;
  idle?: IdleTracker;
  /** How long a switch waits for each server to answer MCP. */
  waitMs: number;
  /** For images a start has to build. */
  buildArgs: Record<string, string>;
  /** Customers reconciled at once. */
  parallel: number;
  log: (line: string) => void;
  onSwitched?: (customerId: string, seconds: number) => void;
}

export class Operations {
  private readonly flights = new Map<string, Promise<ServiceOutcome[]>>();
  private readonly listings = new Map<string, Promise<ProbeResult>>();
  private readonly limit: ReturnType<typeof pLimit>;
  /** Starts actually run (not joined): what single flight is judged by. */
  startsRun = 0;

  constructor(private readonly d: OperationsDeps) {
    this.limit = pLimit(d.parallel);
  }

  busy(customerId: string): boolean {
    return this.flights.has(customerId);
  }

  /** Reconcile one customer's services with the plan, waiting until each answers MCP. Joined when one is under way. */
  start(customerId: string): Promise<ServiceOutcome[]> {
    this.d.idle?.touch(customerId);
    const running = this.flights.get(customerId);
    if (running) return running;
    const flight = this.limit(async () => {
      this.startsRun++;
      const { engine, store } = this.d;
      const services = store.plan.services.filter((s) => s.customerId === customerId);
      return startServices(engine, store.plan, services, await this.d.lookup(), {
        concurrency: 16,
        rebuild: false,
        buildArgs: this.d.buildArgs,
        waitMs: this.d.waitMs,
        ...(this.d.waitProbe && { probe: this.d.waitProbe }),
      });
    })
      .then(async (outcomes) => {
        await this.look(customerId);
        return outcomes;
      })
      .finally(() => {
        this.flights.delete(customerId);
        this.d.idle?.touch(customerId);
      });
    this.flights.set(customerId, flight);
    return flight;
  }

  /**
   * One listing per server at a time: concurrent switches to one customer share it (and its answer), so
   * ten agents switching at once cost each server one tools/list, not ten.
   */
  private listTools(s: ServicePlan): Promise<ProbeResult> {
    const running = this.listings.get(s.name);
    if (running) return running;
    const listing = this.d.prober(s, SWITCH_PROBE_MS).then((r) => {
      this.d.store.putProbe(s.name, r);
      return r;
    });
    this.listings.set(s.name, listing);
    void listing.finally(() => this.listings.delete(s.name)).catch(() => undefined);
    return listing;
  }

  /** Start on demand, then list every server's tools through the real protocol. */
  async switchTo(customerId: string): Promise<SwitchResponse> {
    const t0 = performance.now();
    const outcomes = await this.start(customerId);
    const failed: SwitchResponse["failed_mcps"] = [];
    const servers: SwitchResponse["servers"] = [];
    await Promise.all(
      outcomes.map(async (o) => {
        if (isFailure(o)) return void failed.push({ type: o.type, reason: o.reason ?? o.action });
        const s = this.d.store.service(o.service);
        if (!s) return void failed.push({ type: o.type, reason: "no longer in the config (reloaded during the switch)" });
        const r = await this.listTools(s);
        if (r.ok) servers.push({ type: s.type, url: s.url, transport: s.transport, tools: (r.tools ?? []).filter(policyFilter(s.tools)) });
        else failed.push({ type: s.type, reason: `no MCP answer at ${s.url}: ${r.error ?? "unknown"}` });
      }),
    );
    const order = (t: string) => outcomes.findIndex((o) => o.type === t);
    servers.sort((a, b) => order(a.type) - order(b.type));
    failed.sort((a, b) => order(a.type) - order(b.type));
    this.d.onSwitched?.(customerId, (performance.now() - t0) / 1000);
    return {
      success: servers.length > 0,
      customer: customerId,
      connected_mcps: servers.map((s) => s.type),
      failed_mcps: failed,
      tool_count: servers.reduce((n, s) => n + s.tools.length, 0),
      servers,
    };
  }

  /** Stop (never remove) one customer's containers; waits for a start under way first. */
  async stop(customerId: string): Promise<StopResult[]> {
    await this.flights.get(customerId)?.catch(() => undefined);
    this.d.idle?.forget(customerId);
    const r = await stopContainers(this.d.engine, this.d.store.plan.project, { customers: [customerId], types: [] }, { concurrency: 8 });
    await this.look(customerId);
    return r;
  }

  /**
   * The customer's containers as the engine has them now (and the images and networks a start may have
   * made, which staleness is judged by): the answer must not wait for the event stream.
   */
  private async look(customerId: string): Promise<void> {
    const { engine, store } = this.d;
    const project = store.plan.project;
    const [ours, networks] = await Promise.all([
      engine.list({ [LABEL.project]: project, [LABEL.customer]: customerId }),
      engine.listNetworks({ [LABEL.project]: project }),
    ]);
    store.held.networks = networks;
    const refs = new Set(store.plan.services.filter((s) => s.customerId === customerId).map((s) => s.image));
    await Promise.all([...refs].map(async (r) => store.held.images.set(r, await engine.imageId(r))));
    store.heldChanged();
    for (const c of ours) {
      const d = await engine.inspect(c.id);
      if (d) store.putContainer(d);
    }
  }

  /** --idle-stop: stop customers unused for the idle time (not one being started). */
  async sweepIdle(): Promise<string[]> {
    const idle = this.d.idle;
    if (!idle) return [];
    const stopped: string[] = [];
    for (const id of idle.due()) {
      if (this.busy(id)) continue;
      const running = this.d.store.servers().some((v) => v.customer === id && (v.state === "running" || v.state === "restarting"));
      idle.forget(id);
      if (!running) continue;
      const r = await this.stop(id);
      stopped.push(id);
      this.d.log(`mcps serve: idle stop of ${id}: ${r.filter((x) => x.action === "stopped").length} containers stopped`);
    }
    return stopped;
  }
}
