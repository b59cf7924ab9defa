/**
 * How the host probe sends its HTTP requests. A one-shot caller (a cold `mcps status`, one probe per
 * server) uses the shared node:http exchange that the in-container check runs too: nothing to load,
 * one connection per request. A caller that probes the same servers again and again (serve, start's
 * --wait and heal) holds a pool of keep-alive connections for its whole life (pooled-http.ts, undici)
 * and closes it at its end.
 */
import { type HttpAnswer, shared } from "./mcp-protocol.js";

export type { HttpAnswer };

export interface HttpInit {
  method: string;
  headers: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
}

export interface ProbeHttp {
  exchange(url: string, init: HttpInit): Promise<HttpAnswer>;
  /** Ends every connection now, so the process can exit; never throws. */
  close(): Promise<void>;
}

export const oneShotHttp: ProbeHttp = {
  exchange: (url, init) => shared.exchange(url, init),
  close: async () => {},
};
