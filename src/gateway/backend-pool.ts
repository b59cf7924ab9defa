/**
 * One long-lived MCP client per backend server, shared by every gateway client of the customer. The
 * SDK v2 client negotiates the backend's revision once (2026-07-28, or 2025 with a session); the
 * start-up cost is paid once per container run, not per request. A connection that breaks (the
 * container restarted, was recreated or idle-stopped) is dropped and made again on the next request.
 */
import { Client, ProtocolError, SSEClientTransport, StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import * as z from "zod";
import type { ServicePlan } from "../plan/types.js";

/** Results go back as the backend sent them: schemas, annotations and unknown fields unchanged. */
const PASSTHROUGH = z.looseObject({});

export interface PoolOptions {
  /** Connect (revision negotiation included); a backend that does not answer in this time is down. */
  connectTimeoutMs: number;
  /** One request; a tool that runs longer is answered with an error naming the server. */
  requestTimeoutMs: number;
  /** The backend said its tools, prompts or resources changed. */
  onListChanged: (service: string) => void;
}

/** The backend could not be reached or gave no answer: what the client sees names the server. */
export class BackendUnavailable extends Error {}

interface Link {
  url: string;
  client: Promise<Client>;
}

export class BackendPool {
  private readonly links = new Map<string, Link>();

  constructor(private readonly o: PoolOptions) {}

  private connect(s: ServicePlan): Promise<Client> {
    const client = new Client(
      { name: "mcps-gateway", version: "1.0.0" },
      {
        versionNegotiation: { mode: "auto", probe: { timeoutMs: this.o.connectTimeoutMs } },
        listChanged: {
          tools: { onChanged: () => this.o.onListChanged(s.name) },
          prompts: { onChanged: () => this.o.onListChanged(s.name) },
          resources: { onChanged: () => this.o.onListChanged(s.name) },
        },
      },
    );
    const url = new URL(s.url);
    const transport = s.transport === "sse" ? new SSEClientTransport(url) : new StreamableHTTPClientTransport(url);
    client.onclose = () => this.forget(s.name, client);
    return client.connect(transport, { timeout: this.o.connectTimeoutMs }).then(() => client);
  }

  private link(s: ServicePlan): Link {
    const known = this.links.get(s.name);
    if (known && known.url === s.url) return known;
    if (known) this.drop(s.name);
    const link: Link = { url: s.url, client: this.connect(s) };
    // A failed connect is not kept: the next request tries again.
    link.client.catch(() => this.links.get(s.name) === link && this.links.delete(s.name));
    this.links.set(s.name, link);
    return link;
  }

  private forget(service: string, client: Client): void {
    const link = this.links.get(service);
    if (link) void link.client.then((c) => c === client && this.links.get(service) === link && this.links.delete(service)).catch(() => undefined);
  }

  /**
   * One request to the backend. A JSON-RPC error from the backend comes back as it was (ProtocolError).
   * A broken connection is made again (a restarted container lost the old session, or is still coming
   * up): retried with a short backoff within connectTimeoutMs, after which it is BackendUnavailable.
   */
  async request(s: ServicePlan, method: string, params: Record<string, unknown> | undefined, signal?: AbortSignal): Promise<Record<string, unknown>> {
    const deadline = performance.now() + this.o.connectTimeoutMs;
    for (let attempt = 0; ; attempt++) {
      const link = this.link(s);
      try {
        const client = await link.client;
        const options = { timeout: this.o.requestTimeoutMs, ...(signal && { signal }) };
        return await client.request({ method, ...(params && { params }) } as never, PASSTHROUGH, options);
      } catch (e) {
        if (e instanceof ProtocolError || signal?.aborted) throw e;
        if (this.links.get(s.name) === link) this.drop(s.name);
        const pause = Math.min(1000, 100 * 2 ** attempt);
        if (attempt >= 1 && (isTimeout(e) || performance.now() + pause > deadline)) throw new BackendUnavailable(`${s.type}: ${oneLine(e)}`);
        if (attempt >= 1) await new Promise((r) => setTimeout(r, pause));
      }
    }
  }

  /** Whether the backend said it has tools, prompts or resources (a backend that says nothing is asked anyway). */
  async offers(s: ServicePlan, kind: "tools" | "prompts" | "resources"): Promise<boolean> {
    const caps = await this.link(s)
      .client.then((c) => c.getServerCapabilities())
      .catch(() => undefined);
    return caps === undefined || caps[kind] !== undefined;
  }

  /** Closes the connection to a backend (the container changed); the next request makes a new one. */
  drop(service: string): void {
    const link = this.links.get(service);
    if (!link) return;
    this.links.delete(service);
    void link.client.then((c) => c.close()).catch(() => undefined);
  }

  has(service: string): boolean {
    return this.links.has(service);
  }

  async close(): Promise<void> {
    const all = [...this.links.keys()];
    for (const s of all) this.drop(s);
  }
}

const oneLine = (e: unknown): string => String((e as Error)?.message ?? e).split("\n")[0] ?? "error";

/** A request that timed out is not sent again: the tool may still be running. */
const isTimeout = (e: unknown): boolean => /timed? ?out/i.test(String((e as Error)?.message ?? ""));
