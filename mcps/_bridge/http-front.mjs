// node:http in front of the SDK's web-standard handler: IncomingMessage -> Request (body bounded),
// Response -> ServerResponse (streamed, so an SSE answer reaches the client event by event).
import http from "node:http";

/** The SDK handler's own default bound; refused here already, before the body is held in memory. */
export const MAX_BODY_BYTES = 4 * 1024 * 1024;

/**
 * A body past the bound is still read (and dropped) up to this much more, so the client, still
 * sending, gets to read the 413; beyond it the connection is cut.
 */
const DRAIN_BYTES = 16 * 1024 * 1024;

class BodyTooLarge extends Error {}

/** The request body, or BodyTooLarge past the bound (announced by Content-Length or not). */
function readBody(req) {
  return new Promise((resolve, reject) => {
    if (Number(req.headers["content-length"]) > MAX_BODY_BYTES + DRAIN_BYTES) return reject(new BodyTooLarge());
    const chunks = [];
    let size = 0;
    req.on("data", (chunk) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
      else if (size > MAX_BODY_BYTES + DRAIN_BYTES) req.destroy();
    });
    req.once("end", () => (size > MAX_BODY_BYTES ? reject(new BodyTooLarge()) : resolve(Buffer.concat(chunks))));
    req.once("close", () => req.complete || reject(new Error("the client went away")));
    req.once("error", reject);
  });
}

function webHeaders(req) {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (Array.isArray(value)) for (const v of value) headers.append(name, v);
    else if (value !== undefined) headers.set(name, value);
  }
  return headers;
}

/** A JSON-RPC error with no id (the request was never read as one), with the HTTP status given. */
function sendError(res, status, message, extraHeaders = {}) {
  if (res.headersSent) return void res.destroy();
  const body = JSON.stringify({ jsonrpc: "2.0", id: null, error: { code: -32603, message } });
  res.writeHead(status, { "content-type": "application/json", ...extraHeaders }).end(body);
}

/** Copies the web Response onto the node response, chunk by chunk; stops when the client leaves. */
async function sendResponse(res, response, signal) {
  const headers = {};
  response.headers.forEach((value, name) => {
    headers[name] = value;
  });
  res.writeHead(response.status, headers);
  if (!response.body) return void res.end();
  res.flushHeaders();
  const reader = response.body.getReader();
  const stop = () => reader.cancel().catch(() => {});
  signal.addEventListener("abort", stop, { once: true });
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (!res.write(value)) await new Promise((resolve) => res.once("drain", resolve).once("close", resolve));
    }
    res.end();
  } finally {
    signal.removeEventListener("abort", stop);
  }
}

/**
 * An HTTP server answering MCP at `path` only. `ready()` false (the child is down) is a 503 before
 * the SDK sees the request, so a health check fails fast and clearly.
 */
export function createHttpFront({ handler, path, ready, log }) {
  return http.createServer(async (req, res) => {
    // A fixed origin: the Host header stays among the headers, but a bad one cannot break the URL.
    const url = new URL(req.url ?? "/", "http://localhost");
    if (url.pathname !== path) return sendError(res, 404, `no MCP endpoint at ${url.pathname} (it is at ${path})`);
    if (!ready()) return sendError(res, 503, "the stdio MCP server is not running (starting, or restarting after an exit)", { "retry-after": "1" });
    // Aborted when the client goes away before the answer is complete: the SDK then cancels the request.
    const aborted = new AbortController();
    res.once("close", () => {
      if (!res.writableFinished) aborted.abort();
    });
    try {
      const hasBody = req.method !== "GET" && req.method !== "HEAD" && req.method !== "DELETE";
      const body = hasBody ? await readBody(req) : undefined;
      const request = new Request(url, {
        method: req.method,
        headers: webHeaders(req),
        body,
        signal: aborted.signal,
      });
      await sendResponse(res, await handler.fetch(request), aborted.signal);
    } catch (e) {
      if (e instanceof BodyTooLarge) return sendError(res, 413, `request body over ${MAX_BODY_BYTES} bytes`, { connection: "close" });
      if (aborted.signal.aborted) return;
      log(`request failed: ${e.message}`);
      sendError(res, 500, "internal error in the bridge");
    }
  });
}
