/**
 * One long-lived link per backend server, shared by every gateway client of the customer. The SDK v2
 * client negotiates the backend's revision once (2026-07-28, or 2025 with a session), listens for its
 * list changes and sends the rare requests (lists, prompts, resources). `tools/call`, the hot path, goes
 * as plain JSON-RPC on that negotiated revision over pooled keep-alive connections (backend-wire.ts),
 * since the SDK client costs about six times the CPU per request. A connection that breaks (the
 * container restarted, was recreated or idle-stopped) is dropped and made again on the next request.
 */
import { Client, ProtocolError, SdkError, SdkErrorCode, SSEClientTransport, StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import * as z from "zod";
import type { ProbeHttp } from "../health/probe-http.js";
import { pooledHttp } from "../health/pooled-http.js";
import type { ServicePlan } from "../plan/types.js";
import { McpExchangeFailed } from "../health/mcp-request.js";
import { CallTimedOut, CLIENT, NotSent, type Wire, wireOf, wireRequest } from "./backend-wire.js";

/** Results go back as the backend sent them: schemas, annotations and unknown fields unchanged. */
const PASSTHROUGH = z.looseObject({});

export interface PoolOptions {
  /** Connect (revision negotiation included); a backend that does not answer in this time is down. */
  connectTimeoutMs: number;
  /** One request; a tool that runs longer is answered with an error naming the server. */
  requestTimeoutMs: number;
  /**
   * One list request (tools, prompts, resources): a backend that takes the connection and never answers
   * must not hold the customer's whole listing for requestTimeoutMs. Default connectTimeoutMs.
   */
  listTimeoutMs?: number;
  /** The backend said its tools, prompts or resources changed. */
  onListChanged: (service: string) => void;
  /** When the service's current container run started (the engine's StartedAt), as serve last saw it. */
  runOf?: (s: ServicePlan) => string | undefined;
}

/** How long a failed call waits for serve to see the container's new run (the engine's events lag). */
const RUN_CHANGE_WAIT_MS = 1000;

/** The backend could not be reached or gave no answer: what the client sees names the server. */
export class BackendUnavailable extends Error {}

/** A link once its client has connected. */
interface Connected {
  client: Client;
  /** How plain requests reach it; undefined on the 2024 SSE transport, which only the SDK speaks. */
  wire?: Wire;
  /** When the client finished connecting (Date.now()). */
  at: number;
}

interface Link {
  url: string;
  /** The container run serve knew of when the link was made (runOf). */
  run?: string;
  ready: Promise<Connected>;
}

/**
 * Whether a failed request may be sent again: when it never reached the server (no connection, or a
 * 2025 session the server no longer knows), or when it only reads. A `tools/call` that may have run is
 * never sent twice: the client gets the error instead.
 */
function mayRetry(method: string, e: unknown): boolean {
  if (e instanceof NotSent) return true;
  return method !== "tools/call" && !isTimeout(e);
}

export class BackendPool {
  private readonly links = new Map<string, Link>();
  private readonly http: ProbeHttp;

  constructor(private readonly o: PoolOptions) {
    // 32 per server: the gateway's clients share the link, so concurrent calls need connections of their own.
    this.http = pooledHttp({ connectionsPerServer: 32 });
  }

  private connect(s: ServicePlan): Promise<Connected> {
    const client = new Client(CLIENT, {
      versionNegotiation: { mode: "auto", probe: { timeoutMs: this.o.connectTimeoutMs } },
      listChanged: {
        tools: { onChanged: () => this.o.onListChanged(s.name) },
        prompts: { onChanged: () => this.o.onListChanged(s.name) },
        resources: { onChanged: () => this.o.onListChanged(s.name) },
      },
    });
    const url = new URL(s.url);
    const transport = s.transport === "sse" ? new SSEClientTransport(url) : new StreamableHTTPClientTransport(url);
    client.onclose = () => this.forget(s.name, client);
    return client.connect(transport, { timeout: this.o.connectTimeoutMs }).then(() => {
      const wire = transport instanceof StreamableHTTPClientTransport ? wireOf(s.url, client, transport) : undefined;
      return { client, at: Date.now(), ...(wire && { wire }) };
    });
  }

  private link(s: ServicePlan): Link {
    const known = this.links.get(s.name);
    if (known && known.url === s.url) return known;
    if (known) this.drop(s.name);
    const run = this.o.runOf?.(s);
    const link: Link = { url: s.url, ...(run !== undefined && { run }), ready: this.connect(s) };
    // A failed connect is not kept: the next request tries again.
    link.ready.catch(() => this.links.get(s.name) === link && this.links.delete(s.name));
    this.links.set(s.name, link);
    return link;
  }

  private forget(service: string, client: Client): void {
    const link = this.links.get(service);
    if (link)
      void link.ready.then((c) => c.client === client && this.links.get(service) === link && this.links.delete(service)).catch(() => undefined);
  }

  private async send(link: Link, method: string, params: Record<string, unknown> | undefined, signal?: AbortSignal) {
    let connected: Connected;
    try {
      connected = await link.ready;
    } catch (e) {
      throw new NotSent(String((e as Error)?.message ?? e));
    }
    const { client, wire } = connected;
    // A call on a connection that has seen no listing yet (a new one) asks for one, so the next call is plain.
    if (method === "tools/call" && wire?.unlisted()) void this.send(link, "tools/list", undefined).catch(() => undefined);
    if (wire?.takes(method, params)) return wireRequest(this.http, wire, method, params, this.o.requestTimeoutMs, signal);
    const timeout = method.endsWith("/list") ? (this.o.listTimeoutMs ?? this.o.connectTimeoutMs) : this.o.requestTimeoutMs;
    const options = { timeout, ...(signal && { signal }) };
    // The SDK's own list and call: its tool cache tells callTool which Mcp-Param-* headers a tool needs.
    if (method === "tools/list") {
      const listed = (await client.listTools(params as never, options)) as Record<string, unknown>;
      wire?.listed(listed);
      return listed;
    }
    if (method === "tools/call") return (await client.callTool(params as never, options)) as Record<string, unknown>;
    return client.request({ method, ...(params && { params }) } as never, PASSTHROUGH, options);
  }

  /**
   * One request to the backend. A JSON-RPC error from the backend comes back as it was (ProtocolError).
   * A request that never reached it, or one that only reads, is tried again on a new connection with a
   * short backoff within connectTimeoutMs (a restarted container lost the old session, or is still coming
   * up); then, or for a call that may have run, it is BackendUnavailable.
   */
  async request(s: ServicePlan, method: string, params: Record<string, unknown> | undefined, signal?: AbortSignal): Promise<Record<string, unknown>> {
    const deadline = performance.now() + this.o.connectTimeoutMs;
    for (let attempt = 0; ; attempt++) {
      // A client that left (during a backoff, or the wait for a new run) gets nothing sent for it.
      if (signal?.aborted) throw signal.reason ?? new Error("the client left");
      const link = this.link(s);
      const sentAt = Date.now();
      try {
        return await this.send(link, method, params, signal);
      } catch (e) {
        if (e instanceof ProtocolError || signal?.aborted) throw e;
        const replaced = !mayRetry(method, e) && (await this.replacedBefore(s, link, sentAt, e));
        // A timeout says the tool is slow, not that the connection broke: the link stays.
        if (!isTimeout(e) && this.links.get(s.name) === link) this.drop(s.name);
        const pause = Math.min(1000, 100 * 2 ** attempt);
        if (!(replaced || mayRetry(method, e)) || (attempt >= 1 && performance.now() + pause > deadline))
          throw new BackendUnavailable(`${s.type}: ${oneLine(e)}`);
        if (attempt >= 1) await new Promise((r) => setTimeout(r, pause));
      }
    }
  }

  /**
   * Whether a plain request that failed before any answer came went to a container that had been
   * replaced: a new run started after the link connected and before the request was sent (a `docker
   * restart` or a recreate that serve had not seen yet). The request then reached a process that was
   * gone, or Docker's port proxy before the new process listened (the proxy takes the connection and
   * closes it), and it is sent again. A container that dies during a call, a status without an answer,
   * or a link made after the new run started (it may have reached the new process) is not that.
   * The run's start is the engine's clock: a remote engine whose clock is ahead makes this say no.
   */
  private async replacedBefore(s: ServicePlan, link: Link, sentAt: number, e: unknown): Promise<boolean> {
    if (!(e instanceof McpExchangeFailed && e.beforeResponse) || link.run === undefined || !this.o.runOf) return false;
    const connectedAt = (await link.ready.catch(() => undefined))?.at;
    if (connectedAt === undefined) return false;
    const until = performance.now() + RUN_CHANGE_WAIT_MS;
    for (;;) {
      const run = this.o.runOf(s);
      if (run !== undefined && run !== link.run) {
        const started = Date.parse(run);
        return started > connectedAt && started <= sentAt;
      }
      if (performance.now() >= until) return false;
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** Whether the backend said it has tools, prompts or resources (a backend that says nothing is asked anyway). */
  async offers(s: ServicePlan, kind: "tools" | "prompts" | "resources"): Promise<boolean> {
    const caps = await this.link(s)
      .ready.then((c) => c.client.getServerCapabilities())
      .catch(() => undefined);
    return caps === undefined || caps[kind] !== undefined;
  }

  /** Closes the connection to a backend (the container changed); the next request makes a new one. */
  drop(service: string): void {
    const link = this.links.get(service);
    if (!link) return;
    this.links.delete(service);
    void link.ready.then((c) => c.client.close()).catch(() => undefined);
  }

  has(service: string): boolean {
    return this.links.has(service);
  }

  async close(): Promise<void> {
    const all = [...this.links.keys()];
    for (const s of all) this.drop(s);
    await this.http.close();
  }
}

const oneLine = (e: unknown): string => String((e as Error)?.message ?? e).split("\n")[0] ?? "error";

/** A request that timed out is not sent again: the tool may still be running. */
const isTimeout = (e: unknown): boolean => e instanceof CallTimedOut || (e instanceof SdkError && e.code === SdkErrorCode.RequestTimeout);
