/**
 * Server-Sent Events, parsed incrementally: MCP servers answer over event streams that may stay open,
 * so we must act on each event as it completes instead of waiting for the body to end.
 * The parser itself is the shared one (mcp-protocol.ts) that the in-container check runs too.
 */
import { shared, type SseEvent } from "./mcp-protocol.js";

export type { SseEvent };

/** Follows the WHATWG event-stream rules, minus reconnection (a probe never reconnects). */
export class SseParser {
  private readonly feedText = shared.sseParser();

  /** Feeds a chunk of text; returns the events it completed, in order. */
  feed(chunk: string): SseEvent[] {
    return this.feedText(chunk);
  }
}

/**
 * Pulls events one at a time from a byte stream. Returns undefined once the stream ends.
 * It never closes the stream itself: the caller owns it and destroys it when done.
 */
export function eventReader(chunks: AsyncIterable<Uint8Array | string>): () => Promise<SseEvent | undefined> {
  const source = chunks[Symbol.asyncIterator]();
  const feed = shared.sseParser();
  const decoder = new TextDecoder();
  const queue: SseEvent[] = [];
  return async () => {
    while (queue.length === 0) {
      const next = await source.next();
      if (next.done) return undefined;
      queue.push(...feed(typeof next.value === "string" ? next.value : decoder.decode(next.value, { stream: true })));
    }
    return queue.shift();
  };
}
