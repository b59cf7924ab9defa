/**
 * The ONE definition of an MCP exchange that both probes use: the two protocol revisions and how each is
 * spoken (2026-07-28: `server/discover` and a per-request envelope; 2025: the `initialize` handshake), how an
 * answer is read (a JSON body or an event stream that may stay open), how it is matched to its request (by
 * parsing, never by a substring), the success rules, and when a server counts as not speaking 2026-07-28
 * (so the 2025 handshake is tried instead). The host probe (mcp-probe.ts) and the health check Docker runs
 * inside each container (container-probe.ts) both execute this text.
 *
 * Why text: the check runs in the container as `node -e <source>`, so it must be JavaScript source, and the
 * same bytes whether mcps runs from dist/ (tsc) or from src/ (tsx; esbuild reprints functions, so
 * Function#toString would differ and change the compose file and every config hash). So the shared part
 * is written once as source, compiled once for the host (mcp-protocol.ts), and inlined verbatim into the
 * container check. Apart from that compiler on purpose: the compose, Swarm and Kubernetes renderers inline
 * the text and must not load node:http to get it.
 * Rules for the text: no "$" (kept out so the text reads the same in every file format), no line comments
 * (the check is joined into one line), every statement ends in ";", and only node:http, which the caller
 * provides as `http`. Not fetch: loading it costs a check about 0.1 s of CPU and 40 MB more memory
 * (measured: 0.16 s and 85 MB against 0.06 s and 44 MB per check), and the check runs inside every container.
 */
export const SHARED_PROBE_SOURCE = String.raw`
"use strict";
const MODERN_VERSION = "2026-07-28";
const LEGACY_VERSION = "2025-11-25";
const META = "io.modelcontextprotocol/";
const envelope = (name, version) => ({ [META + "protocolVersion"]: MODERN_VERSION, [META + "clientInfo"]: { name: name, version: version }, [META + "clientCapabilities"]: {} });
const modernParams = (params, name, version) => Object.assign({}, params, { _meta: envelope(name, version) });
const modernHeaders = (method) => ({ "mcp-protocol-version": MODERN_VERSION, "mcp-method": method });
const initializeParams = (name, version) => ({ protocolVersion: LEGACY_VERSION, capabilities: {}, clientInfo: { name: name, version: version } });
const infoOf = (out, info) => { if (typeof info === "object" && info !== null) { if (typeof info.name === "string") out.serverName = info.name; if (typeof info.version === "string") out.serverVersion = info.version; } return out; };
const modernInfo = (r) => infoOf({}, typeof r._meta === "object" && r._meta !== null ? r._meta[META + "serverInfo"] : undefined);
const parseJson = (text) => { try { return JSON.parse(text); } catch (e) { return undefined; } };
const answerTo = (json, id) => (Array.isArray(json) ? json : [json]).find((m) => typeof m === "object" && m !== null && m.id === id && ("result" in m || "error" in m));
const rpcFailure = (method, m) => {
  if (m.error !== undefined) { const e = m.error || {}; return method + " failed: " + (typeof e.message === "string" ? e.message : "no message") + " (JSON-RPC error " + String(e.code) + ")"; }
  if (typeof m.result !== "object" || m.result === null) return method + ": the answer has no result";
  return undefined;
};
const initializeVerdict = (m) => {
  const failure = rpcFailure("initialize", m);
  if (failure) return { ok: false, error: failure };
  const r = m.result;
  if (typeof r.protocolVersion !== "string" || r.protocolVersion === "") return { ok: false, error: "initialize: the result has no protocolVersion" };
  return infoOf({ ok: true, protocolVersion: r.protocolVersion }, r.serverInfo);
};
const discoverVerdict = (m) => {
  const failure = rpcFailure("server/discover", m);
  if (failure) return { ok: false, error: failure, legacy: true };
  const r = m.result;
  if (!Array.isArray(r.supportedVersions) || !r.supportedVersions.includes(MODERN_VERSION)) return { ok: false, error: "server/discover: " + MODERN_VERSION + " is not among the supported versions", legacy: true };
  const out = modernInfo(r);
  out.ok = true;
  out.protocolVersion = MODERN_VERSION;
  return out;
};
const UNSUPPORTED_VERSION = -32022;
const whichFailure = (modernError, legacyError) => (legacyError.includes(String(UNSUPPORTED_VERSION)) ? modernError : legacyError);
const describeError = (err) => {
  const e = typeof err === "object" && err !== null ? err : {};
  const c = typeof e.cause === "object" && e.cause !== null ? e.cause : {};
  const code = typeof c.code === "string" ? c.code : typeof e.code === "string" ? e.code : undefined;
  const text = typeof c.message === "string" && c.message !== "" ? c.message : typeof e.message === "string" && e.message !== "" ? e.message : undefined;
  if (code && text) return text.includes(code) ? text : text + " (" + code + ")";
  return code || text || String(err);
};
const sseParser = () => {
  let buffer = ""; let started = false; let event = ""; let data = []; let id;
  const line = (l) => {
    if (l === "") { const out = { event: event || "message", data: data.join("\n") }; if (id !== undefined) out.id = id; const had = data.length > 0; event = ""; data = []; id = undefined; return had ? out : undefined; }
    if (l.startsWith(":")) return undefined;
    const colon = l.indexOf(":"); const field = colon < 0 ? l : l.slice(0, colon); let value = colon < 0 ? "" : l.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    if (field === "event") event = value; else if (field === "data") data.push(value); else if (field === "id" && !value.includes("\0")) id = value;
    return undefined;
  };
  return (chunk) => {
    buffer += chunk;
    if (!started && buffer.length > 0) { started = true; if (buffer.startsWith("\uFEFF")) buffer = buffer.slice(1); }
    const events = [];
    for (;;) {
      const end = buffer.search(/\r\n|\r|\n/);
      if (end < 0 || (buffer[end] === "\r" && end === buffer.length - 1)) break;
      const width = buffer.startsWith("\r\n", end) ? 2 : 1;
      const done = line(buffer.slice(0, end)); buffer = buffer.slice(end + width);
      if (done) events.push(done);
    }
    return events;
  };
};
const exchange = (url, opts) => new Promise((resolve, reject) => {
  const u = new URL(url);
  const req = http.request({ hostname: u.hostname, port: u.port, path: u.pathname + u.search, method: opts.method, headers: Object.assign({}, opts.headers, { connection: "close" }), signal: opts.signal }, resolve);
  req.on("error", reject);
  req.end(opts.body);
});
const textOf = async (res, limit) => { let text = ""; res.setEncoding("utf8"); for await (const piece of res) { text += piece; if (text.length > limit) break; } return text; };
const oneLine = (text) => text.replace(/\s+/g, " ").trim().slice(0, 200);
const statusFailure = async (step, res) => {
  if (res.statusCode >= 200 && res.statusCode < 300) return undefined;
  const body = oneLine(await textOf(res, 1000).catch(() => ""));
  return step + " answered HTTP " + res.statusCode + (body ? ": " + body : "");
};
const readAnswer = async (step, res, id) => {
  const stream = String(res.headers["content-type"] || "").includes("text/event-stream");
  if (!stream) {
    const text = await textOf(res, 10000000);
    const m = answerTo(parseJson(text), id);
    return m ? { message: m } : { error: step + " answered without a JSON-RPC response: " + oneLine(text) };
  }
  const feed = sseParser();
  res.setEncoding("utf8");
  for await (const piece of res) {
    for (const e of feed(piece)) { const m = e.event === "message" ? answerTo(parseJson(e.data), id) : undefined; if (m) { res.destroy(); return { message: m }; } }
  }
  return { error: step + ": the event stream ended without an answer" };
};
`;
