/**
 * The fleet `mcps serve` holds: the last good plan, what the engine last said (HeldEngine), the last
 * probe per service and the last reload attempt. Every change goes through here, and here alone
 * decides whether it is an event (one per change, none when nothing changed).
 */
import type { ContainerDetails } from "../engine/container-engine.js";
import type { ProbeResult } from "../health/mcp-probe.js";
import { fleetStatus } from "../orchestrate/status.js";
import { statusJson } from "../output/status-json.js";
import type { Plan, ServicePlan } from "../plan/types.js";
import type { ConfigEvent, CustomerEvent, CustomerState, CustomerView, FleetEventName, FleetView, ServerView } from "./fleet-types.js";
import { HeldEngine } from "./held-engine.js";
import { changeKind, customerState, type HeldProbe, serverView } from "./server-view.js";

const STATUS_TTL_MS = 1000;

interface PlanIndex {
  plan: Plan;
  byName: Map<string, ServicePlan>;
  byCustomer: Map<string, ServicePlan[]>;
  customers: ReadonlySet<string>;
}

export type FleetListener = (name: FleetEventName, data: ServerView | ConfigEvent | CustomerEvent) => void;

export class FleetStore {
  readonly held = new HeldEngine();
  private readonly probes = new Map<string, HeldProbe>();
  private readonly views = new Map<string, ServerView>();
  /** Each customer's state as last sent: a `customer` event goes out when it changes (the page never derives it). */
  private readonly customerStates = new Map<string, CustomerState>();
  private readonly listeners = new Set<FleetListener>();
  /** Counts changes: a cached status document is good while nothing changed (and it is young). */
  private version = 0;
  private statusCache?: { version: number; atMs: number; text: string };
  config: FleetView["config"];
  private index?: PlanIndex;

  constructor(
    public plan: Plan,
    private readonly now: () => number = Date.now,
  ) {
    this.config = { ok: true, error: null, loadedAt: new Date(now()).toISOString() };
    this.refresh(false);
  }

  on(listener: FleetListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(name: FleetEventName, data: ServerView | ConfigEvent | CustomerEvent): void {
    for (const l of this.listeners) l(name, data);
  }

  /** Recomputes the views of these services (default all) and emits one event per changed one. */
  private refresh(emit = true, only?: Set<string>): void {
    this.version++;
    const planned = new Set(this.plan.services.map((s) => s.name));
    for (const name of this.views.keys()) if (!planned.has(name)) this.views.delete(name);
    for (const s of this.plan.services) {
      if (only && !only.has(s.name)) continue;
      const next = serverView(s, this.held, this.probes.get(s.name), this.now());
      const kind = changeKind(this.views.get(s.name), next);
      this.views.set(s.name, next);
      if (emit && kind) this.emit(kind, next);
    }
    for (const c of this.customers()) {
      const before = this.customerStates.get(c.id);
      this.customerStates.set(c.id, c.state);
      if (emit && before !== undefined && before !== c.state) this.emit("customer", { id: c.id, state: c.state });
    }
  }

  private servicesOf(c: { name: string }): Set<string> {
    return new Set(this.plan.services.filter((s) => s.containerName === c.name).map((s) => s.name));
  }

  /** Networks or image IDs in `held` changed: they decide staleness, so every verdict is judged again. */
  heldChanged(): void {
    this.refresh(true);
  }

  putContainer(d: ContainerDetails): void {
    const before = this.held.containers.get(d.id);
    this.held.put(d);
    // A probe from before a stop or restart says nothing about the new run.
    if (d.state !== "running" || (before && before.startedAt !== d.startedAt)) for (const s of this.servicesOf(d)) this.probes.delete(s);
    this.refresh(true, this.servicesOf(d));
  }

  dropContainer(id: string): void {
    const c = this.held.containers.get(id);
    if (!c) return;
    this.held.drop(id);
    for (const s of this.servicesOf(c)) this.probes.delete(s);
    this.refresh(true, this.servicesOf(c));
  }

  putProbe(service: string, result: ProbeResult): void {
    this.probes.set(service, { result, at: new Date(this.now()).toISOString() });
    this.refresh(true, new Set([service]));
  }

  setPlan(plan: Plan): void {
    this.plan = plan;
    this.config = { ok: true, error: null, loadedAt: new Date(this.now()).toISOString() };
    this.refresh(true);
    this.emit("config", { ok: true, error: null, services: plan.services.length });
  }

  configFailed(error: string): void {
    this.config = { ok: false, error, loadedAt: this.config.loadedAt };
    this.emit("config", { ok: false, error, services: this.plan.services.length });
  }

  /** The plan by service name and by customer, made again when the plan is replaced. */
  private indexed(): PlanIndex {
    if (this.index?.plan === this.plan) return this.index;
    const byName = new Map<string, ServicePlan>();
    const byCustomer = new Map<string, ServicePlan[]>();
    for (const s of this.plan.services) {
      byName.set(s.name, s);
      const list = byCustomer.get(s.customerId) ?? [];
      list.push(s);
      byCustomer.set(s.customerId, list);
    }
    this.index = { plan: this.plan, byName, byCustomer, customers: new Set(byCustomer.keys()) };
    return this.index;
  }

  service(name: string): ServicePlan | undefined {
    return this.indexed().byName.get(name);
  }

  /** One customer's services in plan order; the gateway asks on every request, so it is indexed. */
  customerServices(customerId: string): readonly ServicePlan[] {
    return this.indexed().byCustomer.get(customerId) ?? [];
  }

  /** The ids of the plan's customers. */
  customerIds(): ReadonlySet<string> {
    return this.indexed().customers;
  }

  /** One service's view (what servers() lists), without building the whole list. */
  view(service: string): ServerView | undefined {
    return this.views.get(service);
  }

  serviceOfContainer(name: string): ServicePlan | undefined {
    return this.plan.services.find((s) => s.containerName === name);
  }

  servers(): ServerView[] {
    return this.plan.services.map((s) => this.views.get(s.name)!);
  }

  customers(): CustomerView[] {
    const out = new Map<string, CustomerView & { views: ServerView[] }>();
    for (const v of this.servers()) {
      const c = out.get(v.customer) ?? { id: v.customer, name: v.customerName, mcp_types: [], state: "stopped", views: [] };
      c.mcp_types.push(v.type);
      c.views.push(v);
      out.set(v.customer, c);
    }
    return [...out.values()].map(({ views, ...c }) => ({ ...c, state: customerState(views) }));
  }

  fleet(): FleetView {
    const types = [...new Set(this.plan.services.map((s) => s.type))].sort();
    return { project: this.plan.project, customers: this.customers(), types, servers: this.servers(), config: this.config };
  }

  /**
   * The status document as JSON text, computed at most once per change and per STATUS_TTL_MS (its
   * verdicts depend on the time, e.g. a start period running out): GET /api/status under load costs a copy.
   */
  async statusText(): Promise<string> {
    const c = this.statusCache;
    const t = this.now();
    if (c && c.version === this.version && t - c.atMs < STATUS_TTL_MS) return c.text;
    const version = this.version;
    const text = JSON.stringify(await this.status());
    this.statusCache = { version, atMs: t, text };
    return text;
  }

  /** The `mcps status --json` document, from what is held: no engine query, no probe. */
  async status() {
    const report = await fleetStatus(this.held, this.plan, this.plan.services, {
      probe: true,
      concurrency: 64,
      timeoutMs: 0,
      includeOrphans: true,
      now: this.now,
      prober: async (s) => this.probes.get(s.name)?.result,
    });
    return statusJson(report);
  }
}
