/**
 * Keeps the FleetStore true: one listing and inspect at start (and after a reload), then Docker events
 * (each one re-inspects only its container), and MCP probes of running services every interval, plus
 * prompt re-probes after a container starts or changes health (a started server answers within seconds).
 */
import pLimit from "p-limit";
import type { ContainerEngine } from "../engine/container-engine.js";
import type { ProbeResult } from "../health/mcp-probe.js";
import { LABEL, type ServicePlan } from "../plan/types.js";
import type { FleetStore } from "./fleet-store.js";

export type ServeProber = (s: ServicePlan, timeoutMs: number) => Promise<ProbeResult>;

export interface SyncDeps {
  engine: ContainerEngine;
  store: FleetStore;
  prober: ServeProber;
  probeIntervalMs: number;
  log: (line: string) => void;
  /** A container of this customer started (by us or anyone): it counts as used now. */
  onStarted?: (customerId: string) => void;
}

/** After a start: look again at these delays until it answers. */
const REPROBE_MS = [300, 1000, 2000, 4000, 8000];

export class FleetSync {
  private readonly stop = new AbortController();
  private readonly limit = pLimit(32);
  private readonly probing = new Set<string>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private events?: AbortController;

  constructor(private readonly d: SyncDeps) {}

  /** The initial view; then events and probes run until close(). */
  async start(): Promise<void> {
    await this.resync();
    this.follow();
    const every = setInterval(() => void this.probeAll(), this.d.probeIntervalMs);
    this.timers.add(every);
    await this.probeAll();
  }

  /** One listing of the project, every container inspected; networks and image IDs too (status reads them). */
  async resync(): Promise<void> {
    const { engine, store } = this.d;
    const project = store.plan.project;
    const [list, networks] = await Promise.all([engine.list({ [LABEL.project]: project }), engine.listNetworks({ [LABEL.project]: project })]);
    const inspect = pLimit(16);
    const details = await Promise.all(list.map((c) => inspect(() => engine.inspect(c.id))));
    const seen = new Set(list.map((c) => c.id));
    for (const id of [...store.held.containers.keys()]) if (!seen.has(id)) store.dropContainer(id);
    for (const d of details) if (d) store.putContainer(d);
    store.held.networks = networks;
    const refs = [...new Set(store.plan.services.map((s) => s.image))];
    store.held.images.clear();
    await Promise.all(refs.map(async (r) => store.held.images.set(r, await engine.imageId(r))));
    store.heldChanged();
  }

  /** Restart the event stream (the project may have changed with a reload). */
  follow(): void {
    this.events?.abort();
    const ctl = new AbortController();
    this.events = ctl;
    const signal = AbortSignal.any([ctl.signal, this.stop.signal]);
    void (async () => {
      while (!signal.aborted) {
        try {
          for await (const e of this.d.engine.events({ [LABEL.project]: this.d.store.plan.project }, signal)) await this.onEvent(e.id, e.action);
        } catch (e) {
          if (signal.aborted) return;
          this.d.log(`mcps serve: the engine's event stream failed (${(e as Error).message}); reconnecting`);
        }
        if (signal.aborted) return;
        await new Promise((r) => setTimeout(r, 1000));
        // Events missed while away: look at everything once more.
        await this.resync().catch((e) => this.d.log(`mcps serve: resync failed: ${(e as Error).message}`));
      }
    })();
  }

  private async onEvent(id: string, action: string): Promise<void> {
    const { store, engine } = this.d;
    if (action === "destroy") return store.dropContainer(id);
    // exec_* (Docker's health check runs as an exec) changes nothing we show.
    if (action.startsWith("exec_")) return;
    const d = await engine.inspect(id).catch(() => undefined);
    if (!d) return store.dropContainer(id);
    store.putContainer(d);
    const s = store.serviceOfContainer(d.name);
    if (!s) return;
    if (action === "create") await this.refreshBuilt(s);
    if (action === "start") {
      this.d.onStarted?.(s.customerId);
      this.reprobeSoon(s.name);
    } else if (action.startsWith("health_status")) void this.probe(s.name);
  }

  /** A create may follow a build and a new network: what staleness is judged by. */
  private async refreshBuilt(s: ServicePlan): Promise<void> {
    const { engine, store } = this.d;
    const [image, networks] = await Promise.all([engine.imageId(s.image), engine.listNetworks({ [LABEL.project]: store.plan.project })]);
    store.held.images.set(s.image, image);
    store.held.networks = networks;
    store.heldChanged();
  }

  /** After a start, probe until the server answers (or the container stops running). */
  reprobeSoon(service: string): void {
    let i = 0;
    const next = () => {
      const delay = REPROBE_MS[i++];
      if (delay === undefined) return;
      const t = setTimeout(async () => {
        this.timers.delete(t);
        const ok = await this.probe(service);
        if (!ok && this.running(service)) next();
      }, delay);
      this.timers.add(t);
    };
    next();
  }

  private running(service: string): boolean {
    return this.d.store.servers().find((v) => v.service === service)?.state === "running";
  }

  /** Probes one running service (never two probes of it at once); true when it answered. */
  async probe(service: string): Promise<boolean> {
    const s = this.d.store.service(service);
    if (!s || !this.running(service) || this.probing.has(service) || this.stop.signal.aborted) return false;
    this.probing.add(service);
    try {
      const r = await this.limit(() => this.d.prober(s, Math.min(5000, this.d.probeIntervalMs)));
      if (!this.stop.signal.aborted && this.running(service)) this.d.store.putProbe(service, r);
      return r.ok;
    } finally {
      this.probing.delete(service);
    }
  }

  async probeAll(): Promise<void> {
    await Promise.all(this.d.store.plan.services.map((s) => this.probe(s.name)));
  }

  close(): void {
    this.stop.abort();
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }
}
