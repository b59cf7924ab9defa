/** GET /api/events: Server-Sent Events to every connected page, with a keepalive comment every 15 s. */
import type { ServerResponse } from "node:http";

/**
 * What one client may have queued and not yet read. A client that stops reading (a paused tab, a
 * stuck proxy, a hostile peer) would otherwise make the server hold every later event for it in
 * memory, without bound. Past this (far more than a burst of a whole fleet's events) it is dropped
 * and must reconnect, which also gives it the current view again.
 */
export const MAX_QUEUED_BYTES = 1024 * 1024;

export class EventStream {
  private readonly clients = new Set<ServerResponse>();
  private readonly keepalive: NodeJS.Timeout;
  /** Clients dropped for not reading (tests and logs read it). */
  dropped = 0;

  constructor(
    keepaliveMs = 15_000,
    private readonly maxQueuedBytes = MAX_QUEUED_BYTES,
  ) {
    this.keepalive = setInterval(() => this.broadcast(": keepalive\n\n"), keepaliveMs);
    this.keepalive.unref();
  }

  get size(): number {
    return this.clients.size;
  }

  attach(res: ServerResponse): void {
    res.writeHead(200, {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache",
      connection: "keep-alive",
      "x-content-type-options": "nosniff",
    });
    // Sent at once so clients (and proxies) see the stream open before the first change.
    res.write(": connected\n\n");
    this.clients.add(res);
    res.once("close", () => this.clients.delete(res));
  }

  /** JSON data on one line: an event's data never spans lines, so no field can be split or forged. */
  send(name: string, data: unknown): void {
    this.broadcast(`event: ${name}\ndata: ${JSON.stringify(data)}\n\n`);
  }

  private broadcast(frame: string): void {
    for (const c of this.clients) {
      // Checked before writing, so one frame larger than the limit still reaches a client that reads.
      if (c.writableLength > this.maxQueuedBytes) {
        this.clients.delete(c);
        this.dropped++;
        c.destroy();
      } else c.write(frame);
    }
  }

  close(): void {
    clearInterval(this.keepalive);
    for (const c of this.clients) c.end();
    this.clients.clear();
  }
}
