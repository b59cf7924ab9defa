/**
 * What /mcp/<customer> offers: the union of the customer's usable servers' tools (prompts, resources),
 * renamed `<type>_<name>` and filtered by each server's policy. Listings are cached per customer and
 * dropped on a backend's list_changed, a container change or a config reload (gateway.ts says when).
 * A server is usable by its verdict (the one `mcps status` gives): ok, or starting (it may answer now).
 */
import { ProtocolError, ProtocolErrorCode, UriTemplate } from "@modelcontextprotocol/server";
import type { ServicePlan } from "../plan/types.js";
import type { FleetStore } from "../serve/fleet-store.js";
import type { ServerView } from "../serve/fleet-types.js";
import type { BackendPool } from "./backend-pool.js";
import { policyFilter, prefixed, splitPrefixed } from "./tool-policy.js";

type Item = Record<string, unknown> & { name?: unknown; uri?: unknown; uriTemplate?: unknown };
export type ListKind = "tools" | "prompts" | "resources" | "resourceTemplates";

/** The list request, and the capability a server announces for it, of each kind. */
const LISTS: Record<ListKind, { method: string; capability: "tools" | "prompts" | "resources" }> = {
  tools: { method: "tools/list", capability: "tools" },
  prompts: { method: "prompts/list", capability: "prompts" },
  resources: { method: "resources/list", capability: "resources" },
  resourceTemplates: { method: "resources/templates/list", capability: "resources" },
};

/** Pages of one list are followed up to this many, so a backend cannot keep the gateway paging forever. */
const MAX_PAGES = 20;

interface Listing {
  items: Item[];
  /** Resource URI (or URI template) -> the service that listed it. */
  owners: Map<string, ServicePlan>;
}

export const unknownTool = (name: string) => new ProtocolError(ProtocolErrorCode.InvalidParams, `Tool ${name} not found`);
/** The JSON-RPC error for a server that cannot take a request now; its own class, so the outcome is `unavailable`. */
export class ServerUnavailable extends ProtocolError {}
export const unavailable = (s: ServicePlan, why: string) =>
  new ServerUnavailable(ProtocolErrorCode.InternalError, `MCP server ${s.type} of customer ${s.customerId} is unavailable: ${why}`);

const usable = (v: ServerView | undefined) => v !== undefined && (v.verdict === "ok" || v.verdict === "starting");

export class CustomerTools {
  private readonly cache = new Map<string, Promise<Listing>>();

  constructor(
    private readonly store: FleetStore,
    private readonly pool: BackendPool,
  ) {}

  services(customerId: string): readonly ServicePlan[] {
    return this.store.customerServices(customerId);
  }

  view(s: ServicePlan): ServerView | undefined {
    return this.store.view(s.name);
  }

  invalidate(customerId: string): void {
    for (const key of [...this.cache.keys()]) if (key.startsWith(`${customerId} `)) this.cache.delete(key);
  }

  async list(customerId: string, kind: ListKind): Promise<Item[]> {
    return (await this.listing(customerId, kind)).items;
  }

  private listing(customerId: string, kind: ListKind): Promise<Listing> {
    const key = `${customerId} ${kind}`;
    const known = this.cache.get(key);
    if (known) return known;
    const made = this.build(customerId, kind);
    this.cache.set(key, made);
    // A listing that missed a usable server is not kept: the next request asks again.
    void made.then((l) => l.items.length === 0 && this.cache.get(key) === made && this.cache.delete(key)).catch(() => this.cache.delete(key));
    return made;
  }

  private async build(customerId: string, kind: ListKind): Promise<Listing> {
    const owners = new Map<string, ServicePlan>();
    let complete = true;
    const parts = await Promise.all(
      this.services(customerId).map(async (s) => {
        if (!usable(this.view(s))) return [];
        try {
          const items = await this.listOne(s, kind);
          for (const r of items) {
            const key = kind === "resources" ? r.uri : kind === "resourceTemplates" ? r.uriTemplate : undefined;
            if (typeof key === "string" && !owners.has(key)) owners.set(key, s);
          }
          return items;
        } catch (e) {
          // A server that has resources but no templates may answer method-not-found: it has none.
          if ((e as { code?: unknown })?.code === ProtocolErrorCode.MethodNotFound) return [];
          complete = false;
          return [];
        }
      }),
    );
    const listing = { items: parts.flat(), owners };
    if (!complete) queueMicrotask(() => this.cache.delete(`${customerId} ${kind}`));
    return listing;
  }

  private async listOne(s: ServicePlan, kind: ListKind): Promise<Item[]> {
    // A 2025 server without prompts would answer method-not-found: not asked, and not counted as a miss.
    const { method, capability } = LISTS[kind];
    if (kind !== "tools" && !(await this.pool.offers(s, capability))) return [];
    const exposed = policyFilter(s.tools);
    const out: Item[] = [];
    let cursor: unknown;
    for (let page = 0; page < MAX_PAGES; page++) {
      const r = await this.pool.request(s, method, cursor === undefined ? undefined : { cursor });
      const items = Array.isArray(r[kind]) ? (r[kind] as Item[]) : [];
      for (const item of items) {
        if (typeof item?.name !== "string") continue;
        if (kind === "tools" && !exposed(item.name)) continue;
        // Resources and templates keep their names: they are addressed by URI, not by name.
        out.push(kind === "resources" || kind === "resourceTemplates" ? item : { ...item, name: prefixed(s.type, item.name) });
      }
      cursor = r.nextCursor;
      if (typeof cursor !== "string" || cursor === "") break;
    }
    return out;
  }

  /**
   * The service and the server's own name behind a `<type>_<name>`: undefined for another customer's
   * type, an unknown type, or a tool the policy hides (the same answer as an unknown tool).
   */
  owner(customerId: string, name: string, kind: "tools" | "prompts"): { service: ServicePlan; name: string } | undefined {
    const split = splitPrefixed(name);
    if (!split) return undefined;
    const service = this.services(customerId).find((s) => s.type === split.type);
    if (!service) return undefined;
    if (kind === "tools" && !policyFilter(service.tools)(split.name)) return undefined;
    return { service, name: split.name };
  }

  /** The server that listed the URI, or else the first whose URI template matches it. */
  async resourceOwner(customerId: string, uri: string): Promise<ServicePlan | undefined> {
    const owner = (await this.listing(customerId, "resources")).owners.get(uri) ?? (await this.templateOwner(customerId, uri));
    if (owner) return owner;
    this.invalidate(customerId);
    return (await this.listing(customerId, "resources")).owners.get(uri) ?? (await this.templateOwner(customerId, uri));
  }

  private async templateOwner(customerId: string, uri: string): Promise<ServicePlan | undefined> {
    for (const [template, s] of (await this.listing(customerId, "resourceTemplates")).owners) {
      try {
        if (new UriTemplate(template).match(uri)) return s;
      } catch {
        // A template the SDK cannot parse routes nothing.
      }
    }
    return undefined;
  }

  /** Throws the JSON-RPC error the client should see when the server cannot take a request now. */
  checkUsable(s: ServicePlan): void {
    const v = this.view(s);
    if (!usable(v)) throw unavailable(s, v?.error ?? v?.verdict ?? "not running");
  }
}
