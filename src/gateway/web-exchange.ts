/**
 * node:http in front of the SDK's web-standard handler: IncomingMessage -> Request (body bounded, read
 * before the SDK sees it), Response -> ServerResponse: a JSON answer in one write, an event stream chunk
 * by chunk, so an SSE answer reaches the client event by event and a client that leaves cancels the request.
 */
import type { IncomingMessage, ServerResponse } from "node:http";

/** The SDK handler's own default bound, refused here already before the body is held. */
export const MAX_BODY_BYTES = 4 * 1024 * 1024;

export class BodyTooLarge extends Error {}

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  if (Number(req.headers["content-length"]) > MAX_BODY_BYTES) throw new BodyTooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new BodyTooLarge();
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** The body parsed once for both the classification and the leg; undefined when it is not JSON. */
export function parseJson(body: Buffer | undefined): unknown {
  if (!body || body.length === 0) return undefined;
  try {
    return JSON.parse(body.toString("utf8"));
  } catch {
    return undefined;
  }
}

export function webRequest(req: IncomingMessage, url: URL, body: Buffer | undefined, signal: AbortSignal): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (Array.isArray(value)) for (const v of value) headers.append(name, v);
    else if (value !== undefined) headers.set(name, value);
  }
  return new Request(url, { method: req.method ?? "GET", headers, ...(body && { body }), signal });
}

export async function sendWebResponse(res: ServerResponse, response: Response, signal: AbortSignal): Promise<void> {
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    headers[name] = value;
  });
  if (!response.body) return void res.writeHead(response.status, headers).end();
  // A JSON answer (most of them) leaves in one write with its length; only an event stream is relayed
  // chunk by chunk, as its events come.
  if (!String(headers["content-type"] ?? "").includes("text/event-stream")) {
    const body = Buffer.from(await response.arrayBuffer());
    return void res.writeHead(response.status, { ...headers, "content-length": String(body.length) }).end(body);
  }
  const reader = response.body.getReader();
  // Cancelling the reader is what ends the SDK's stream (its cancel drops the session's open stream);
  // a client gone before the answer began would otherwise leave it open, and every later GET a 409.
  const stop = () => void reader.cancel().catch(() => undefined);
  if (signal.aborted || res.destroyed) return stop();
  res.writeHead(response.status, headers);
  res.flushHeaders();
  signal.addEventListener("abort", stop, { once: true });
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (res.destroyed) return stop();
      if (!res.write(value)) await drained(res);
    }
    res.end();
  } finally {
    signal.removeEventListener("abort", stop);
  }
}

/** The socket took the buffered bytes, or is gone; the listener not fired is removed either way. */
function drained(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off("drain", done).off("close", done);
      resolve();
    };
    res.on("drain", done).on("close", done);
    if (res.destroyed) done();
  });
}
