/**
 * The probe's HTTP over an undici Agent: keep-alive connections per server, reused by the probe's own
 * requests (a 2025 handshake is four) and by the next probe while the server keeps them open. Only
 * health/ imports undici. Loading it costs a cold process about a tenth of a second, so only callers
 * that probe repeatedly hold one (probe-http.ts).
 */
import { Agent, type Dispatcher, request } from "undici";
import type { HttpAnswer, HttpInit, ProbeHttp } from "./probe-http.js";

interface PoolLimits {
  /**
   * Connections per server. A legacy SSE probe holds two at once (the event stream and a POST), and
   * serve may list a server's tools while its periodic probe runs.
   */
  connectionsPerServer?: number;
  /**
   * Idle time after which we drop a connection ourselves. Servers close idle ones too (node's default
   * is 5 s, uvicorn's 5 s); a request sent on a connection the server is closing fails, so ours ends first.
   */
  idleMs?: number;
}

export function pooledHttp(limits: PoolLimits = {}): ProbeHttp {
  const idleMs = limits.idleMs ?? 3000;
  const agent = new Agent({ connections: limits.connectionsPerServer ?? 8, keepAliveTimeout: idleMs, keepAliveMaxTimeout: idleMs });
  let closed = false;
  return {
    async exchange(url: string, init: HttpInit): Promise<HttpAnswer> {
      const res = await request(url, {
        dispatcher: agent,
        method: init.method as Dispatcher.HttpMethod,
        headers: init.headers,
        ...(init.body !== undefined && { body: init.body }),
        ...(init.signal && { signal: init.signal }),
      });
      // The body stream is the response: the shared reader reads status and headers off it.
      return Object.assign(res.body, { statusCode: res.statusCode, headers: res.headers as HttpAnswer["headers"] });
    },
    async close() {
      if (closed) return;
      closed = true;
      // destroy, not close: an event stream still open must not keep the process alive.
      await agent.destroy().catch(() => {});
    },
  };
}
