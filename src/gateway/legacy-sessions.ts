/**
 * The 2025-11-25 leg of /mcp/<customer>: a client that sends `initialize` gets a session (the SDK's
 * WebStandardStreamableHTTPServerTransport with a random id, and its own Server from the gateway's
 * factory); its later POSTs, its listening GET stream and its DELETE go to that session. A session is
 * bound to the customer and the caller that opened it: used by anyone else, or on another customer's
 * path, it is unknown (404, as the spec says for an id the server does not know). A 2025 request with
 * no session id that is not `initialize` is answered statelessly, as before.
 *
 * Bounded, because sessions cost memory and a client may open them without end: at most
 * `maxPerCustomer` per customer and `maxSessions` per serve. When a bound is reached the least
 * recently used session that is quiet (no request running, no listening stream) is closed, within the
 * customer for its own bound, so one customer's token cannot push out another's; when none is quiet,
 * the new session is refused (503). Refusing first instead would let one client that opens sessions
 * and never closes them lock the others out until they expire; evicting a quiet one costs its client a
 * re-initialize, which the spec tells a client to do on 404. A session with no request for `idleMs` and
 * no open listening stream expires: a client that listens is using it even when it sends nothing.
 */
import { randomUUID } from "node:crypto";
import {
  type AuthInfo,
  isInitializeRequest,
  legacyStatelessFallback,
  type McpRequestContext,
  type Server,
  WebStandardStreamableHTTPServerTransport,
} from "@modelcontextprotocol/server";

export interface SessionLimits {
  /** Open 2025 sessions on one serve, all customers together. */
  maxSessions: number;
  /** Open 2025 sessions of one customer. */
  maxPerCustomer: number;
  /** A session with no request (and no listening stream) for this long is closed. */
  idleMs: number;
}

export const DEFAULT_SESSION_LIMITS: SessionLimits = { maxSessions: 1000, maxPerCustomer: 250, idleMs: 30 * 60_000 };

interface Session {
  id: string;
  customerId: string;
  caller: string;
  server: Server;
  transport: WebStandardStreamableHTTPServerTransport;
  lastUsed: number;
  /** Open GET streams: while one is open the session is not idle. */
  listening: number;
  /** Requests being answered: a session in the middle of one is not evicted. */
  busy: number;
}

const quiet = (s: Session) => s.listening === 0 && s.busy === 0;

const isEventStream = (r: Response) => r.status === 200 && r.body !== null && (r.headers.get("content-type") ?? "").includes("text/event-stream");

/** Every session in use and the bound reached: the client may try again later. */
const sessionsFull = () =>
  new Response(JSON.stringify({ jsonrpc: "2.0", id: null, error: { code: -32603, message: "too many open sessions; try again later" } }), {
    status: 503,
    headers: { "content-type": "application/json", "retry-after": "10" },
  });

/** What the SDK's stateful transport answers for an id it does not know. */
const sessionNotFound = () =>
  new Response(JSON.stringify({ jsonrpc: "2.0", id: null, error: { code: -32001, message: "Session not found" } }), {
    status: 404,
    headers: { "content-type": "application/json" },
  });

export class LegacySessions {
  /** Map order is use order: the first entry is the least recently used. */
  private readonly table = new Map<string, Session>();
  private readonly sweeper: NodeJS.Timeout;
  /** Initializes being answered, per customer: room already made for them. */
  private readonly opening = new Map<string, number>();
  private openingTotal = 0;

  constructor(
    private readonly factory: (customerId: string) => (ctx: McpRequestContext) => Server,
    private readonly limits: SessionLimits = DEFAULT_SESSION_LIMITS,
    private readonly now: () => number = Date.now,
  ) {
    // Often enough that a session outlives its idle time by at most half of it; never a busy loop.
    const every = Math.max(50, Math.min(60_000, Math.floor(limits.idleMs / 2)));
    this.sweeper = setInterval(() => this.expire(), every);
    this.sweeper.unref();
  }

  /** Open sessions (all customers, or one). */
  size(customerId?: string): number {
    if (customerId === undefined) return this.table.size;
    let n = 0;
    for (const s of this.table.values()) if (s.customerId === customerId) n++;
    return n;
  }

  /** Open sessions per customer, in one pass (what the metrics read at each scrape). */
  perCustomer(): Map<string, number> {
    const out = new Map<string, number>();
    for (const s of this.table.values()) out.set(s.customerId, (out.get(s.customerId) ?? 0) + 1);
    return out;
  }

  /** Open listening streams of one customer's sessions. */
  listeners(customerId: string): number {
    let n = 0;
    for (const s of this.table.values()) if (s.customerId === customerId) n += s.listening;
    return n;
  }

  async handle(customerId: string, request: Request, parsedBody: unknown, authInfo: AuthInfo): Promise<Response> {
    const options = { authInfo, ...(parsedBody !== undefined && { parsedBody }) };
    const id = request.headers.get("mcp-session-id");
    if (id !== null) {
      const s = this.table.get(id);
      if (!s || s.customerId !== customerId || s.caller !== authInfo.clientId) return sessionNotFound();
      this.used(s);
      s.busy++;
      try {
        const response = await s.transport.handleRequest(request, options);
        return request.method === "GET" && isEventStream(response) ? this.listening(s, request.signal, response) : response;
      } finally {
        s.busy--;
      }
    }
    if (request.method === "POST" && isInitializeRequest(parsedBody)) return this.open(customerId, request, options);
    return legacyStatelessFallback(this.factory(customerId))(request, options);
  }

  private async open(customerId: string, request: Request, options: { authInfo: AuthInfo; parsedBody?: unknown }): Promise<Response> {
    if (!this.room(customerId)) return sessionsFull();
    try {
      return await this.begin(customerId, request, options);
    } finally {
      this.opened(customerId);
    }
  }

  private async begin(customerId: string, request: Request, options: { authInfo: AuthInfo; parsedBody?: unknown }): Promise<Response> {
    const server = this.factory(customerId)({ era: "legacy", authInfo: options.authInfo, requestInfo: request });
    let session: Session | undefined;
    const transport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: randomUUID,
      onsessioninitialized: (id) => {
        session = { id, customerId, caller: options.authInfo.clientId, server, transport, lastUsed: this.now(), listening: 0, busy: 0 };
        this.table.set(id, session);
      },
    });
    // Closed by DELETE, eviction, expiry or close(): out of the table, whichever it was.
    server.onclose = () => session && this.table.get(session.id) === session && this.table.delete(session.id);
    await server.connect(transport);
    const response = await transport.handleRequest(request, options);
    // An initialize the transport refused opened no session: nothing is kept.
    if (!session) void server.close().catch(() => undefined);
    return response;
  }

  /**
   * Makes room for one more session of the customer: the least recently used quiet session goes, the
   * customer's own for its bound, any for the serve's. False when the bound is reached and none is quiet.
   */
  private room(customerId: string): boolean {
    const evictOne = (of?: string) => {
      for (const s of this.table.values()) {
        if ((of !== undefined && s.customerId !== of) || !quiet(s)) continue;
        this.end(s);
        return true;
      }
      return false;
    };
    const opening = this.opening.get(customerId) ?? 0;
    if (this.size(customerId) + opening >= this.limits.maxPerCustomer && !evictOne(customerId)) return false;
    if (this.table.size + this.openingTotal >= this.limits.maxSessions && !evictOne()) return false;
    // Held until the initialize is answered, so concurrent ones cannot all pass the same bound.
    this.opening.set(customerId, opening + 1);
    this.openingTotal++;
    return true;
  }

  private opened(customerId: string): void {
    const left = (this.opening.get(customerId) ?? 1) - 1;
    if (left > 0) this.opening.set(customerId, left);
    else this.opening.delete(customerId);
    this.openingTotal--;
  }

  private used(s: Session): void {
    s.lastUsed = this.now();
    this.table.delete(s.id);
    this.table.set(s.id, s);
  }

  /**
   * An open listening stream: the session is in use until the client leaves or the stream ends (the
   * session closed). Only a stream the transport opened counts: a GET it refused (a second stream, a
   * wrong Accept) is not use.
   */
  private listening(s: Session, signal: AbortSignal, response: Response): Response {
    s.listening++;
    let left = false;
    const leave = () => {
      if (left) return;
      left = true;
      s.listening--;
      // The idle time starts when the listener leaves.
      s.lastUsed = this.now();
    };
    if (signal.aborted) leave();
    else signal.addEventListener("abort", leave, { once: true });
    const body = response.body!.pipeThrough(new TransformStream<Uint8Array, Uint8Array>({ flush: leave }));
    return new Response(body, { status: response.status, headers: response.headers });
  }

  private end(s: Session): void {
    this.table.delete(s.id);
    void s.server.close().catch(() => undefined);
  }

  private expire(): void {
    const before = this.now() - this.limits.idleMs;
    for (const s of [...this.table.values()]) if (s.listening === 0 && s.lastUsed <= before) this.end(s);
  }

  /** The customer's tools, prompts or resources changed: every open session of it is told. */
  changed(customerId: string): void {
    for (const s of this.table.values()) {
      if (s.customerId !== customerId) continue;
      // No listening stream: the transport drops the notification, as the 2025 spec allows.
      void s.server.sendToolListChanged().catch(() => undefined);
      void s.server.sendPromptListChanged().catch(() => undefined);
      void s.server.sendResourceListChanged().catch(() => undefined);
    }
  }

  /** Closes the sessions of customers that are gone (a config reload), or all of them. */
  closeWhere(gone: (customerId: string) => boolean): void {
    for (const s of [...this.table.values()]) if (gone(s.customerId)) this.end(s);
  }

  close(): void {
    clearInterval(this.sweeper);
    this.closeWhere(() => true);
  }
}
