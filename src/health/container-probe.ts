/**
 * The health check that runs inside each container: a real MCP `initialize`, in exec form with only
 * `node` needed (no curl, no shell). Docker runs it as `node -e <source> <port> <path> <transport> <timeoutMs>`.
 * It must not contain "$": compose would read it as a variable, nor "//" comments: it is joined into one line.
 * Answers are read as they arrive because a server may keep an event stream open after answering, and the
 * session is deleted even then: each session holds a process on the server, and the check runs every interval.
 */
const SOURCE = `
const [port, path, transport, timeoutMs] = process.argv.slice(1);
const base = "http://127.0.0.1:" + port;
const init = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-03-26", capabilities: {}, clientInfo: { name: "mcps-healthcheck", version: "1" } } });
const fail = (m) => { console.error("mcp probe: " + m); process.exit(1); };
setTimeout(() => fail("no answer in " + timeoutMs + " ms"), Number(timeoutMs) || 5000).unref();
const sse = async () => {
  const res = await fetch(base + path, { headers: { accept: "text/event-stream" } });
  if (!res.ok) fail("GET " + path + " answered " + res.status);
  const reader = res.body.getReader();
  const dec = new TextDecoder();
  let buf = "";
  let posted = false;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) fail("event stream ended");
    buf += dec.decode(value, { stream: true });
    const m = posted ? null : /event: *endpoint\\r?\\ndata: *(.*)\\r?\\n/.exec(buf);
    if (m) {
      posted = true;
      const r = await fetch(new URL(m[1].trim(), base + path), { method: "POST", headers: { "content-type": "application/json" }, body: init });
      if (r.status >= 300) fail("POST endpoint answered " + r.status);
    } else if (posted && buf.includes('"protocolVersion"')) process.exit(0);
  }
};
const http = async () => {
  const res = await fetch(base + path, { method: "POST", headers: { "content-type": "application/json", accept: "application/json, text/event-stream" }, body: init });
  const sid = res.headers.get("mcp-session-id");
  const end = () => sid ? fetch(base + path, { method: "DELETE", headers: { "mcp-session-id": sid } }).catch(() => {}) : null;
  const reader = res.body.getReader();
  const dec = new TextDecoder();
  let text = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    text += dec.decode(value, { stream: true });
    if (res.ok && text.includes('"protocolVersion"')) {
      reader.cancel().catch(() => {});
      await end();
      process.exit(0);
    }
  }
  await end();
  fail("initialize answered " + res.status + " " + text.slice(0, 200));
};
(transport === "sse" ? sse() : http()).catch((e) => fail(String((e && e.cause && e.cause.code) || (e && e.message) || e)));
`;

/** One line: keeps the compose file readable and the label-free spec small. */
export const CONTAINER_PROBE_SOURCE = SOURCE.trim()
  .split("\n")
  .map((line) => line.trim())
  .join(" ");

export function containerProbeCommand(port: number, path: string, transport: string, timeoutMs: number): string[] {
  return ["CMD", "node", "-e", CONTAINER_PROBE_SOURCE, String(port), path, transport, String(timeoutMs)];
}
