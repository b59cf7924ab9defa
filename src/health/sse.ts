/**
 * Server-Sent Events, parsed incrementally: MCP servers answer over event streams that may stay open,
 * so we must act on each event as it completes instead of waiting for the body to end.
 * Follows the WHATWG event-stream rules, minus reconnection (a probe never reconnects).
 */

export interface SseEvent {
  /** The `event:` field, "message" when absent. */
  event: string;
  /** Every `data:` line of the event, joined with "\n". */
  data: string;
  /** The `id:` field of this event, if it had one. */
  id?: string;
}

export class SseParser {
  private buffer = "";
  private started = false;
  private event = "";
  private data: string[] = [];
  private id: string | undefined;

  /** Feeds a chunk of text; returns the events it completed, in order. */
  feed(chunk: string): SseEvent[] {
    this.buffer += chunk;
    if (!this.started && this.buffer.length > 0) {
      this.started = true;
      if (this.buffer.startsWith("\uFEFF")) this.buffer = this.buffer.slice(1);
    }
    const events: SseEvent[] = [];
    for (;;) {
      const end = this.buffer.search(/\r\n|\r|\n/);
      if (end < 0) break;
      // A lone "\r" at the end of a chunk may be the first half of "\r\n": wait for the next chunk.
      if (this.buffer[end] === "\r" && end === this.buffer.length - 1) break;
      const width = this.buffer.startsWith("\r\n", end) ? 2 : 1;
      const line = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + width);
      const done = this.line(line);
      if (done) events.push(done);
    }
    return events;
  }

  private line(line: string): SseEvent | undefined {
    if (line === "") return this.dispatch();
    if (line.startsWith(":")) return undefined;
    const colon = line.indexOf(":");
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    if (field === "event") this.event = value;
    else if (field === "data") this.data.push(value);
    else if (field === "id" && !value.includes("\0")) this.id = value;
    return undefined;
  }

  private dispatch(): SseEvent | undefined {
    const { event, data, id } = this;
    this.event = "";
    this.data = [];
    this.id = undefined;
    // The spec drops events without data lines (e.g. a lone "event:" or "id:" block).
    if (data.length === 0) return undefined;
    const out: SseEvent = { event: event || "message", data: data.join("\n") };
    if (id !== undefined) out.id = id;
    return out;
  }
}

/**
 * Pulls events one at a time from a byte stream. Returns undefined once the stream ends.
 * It never closes the stream itself: the caller owns it and destroys it when done.
 */
export function eventReader(chunks: AsyncIterable<Uint8Array | string>): () => Promise<SseEvent | undefined> {
  const source = chunks[Symbol.asyncIterator]();
  const parser = new SseParser();
  const decoder = new TextDecoder();
  const queue: SseEvent[] = [];
  return async () => {
    while (queue.length === 0) {
      const next = await source.next();
      if (next.done) return undefined;
      const text = typeof next.value === "string" ? next.value : decoder.decode(next.value, { stream: true });
      queue.push(...parser.feed(text));
    }
    return queue.shift();
  };
}
