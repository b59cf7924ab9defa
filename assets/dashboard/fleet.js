/**
 * The dashboard's pure half: no DOM, no network, so node's test runner checks it directly
 * (test/unit/dashboard-fleet.test.ts) and the page module stays about wiring.
 */

/** Key of one matrix cell. Ids and types never contain a NUL, so the pair cannot collide. */
export function cellKey(customer, type) {
  return `${customer}\u0000${type}`;
}

const STOPPED_STATES = new Set(["created", "exited", "missing"]);

/**
 * What a cell says. The tone picks the colour; the icon and the words carry the same meaning, so
 * colour is never the only carrier. A deliberate stop (exited, created) is neutral, not an alarm.
 */
export function cellView(server) {
  if (!server) return { tone: "none", icon: "", state: "not configured", health: "", mcp: "", latency: "", tools: "" };
  const running = server.state === "running";
  let tone = "off";
  // "restarting" means it exited and Docker is bringing it back: a crash (a loop, as `mcps status` calls it), not a start.
  if (server.state === "dead" || server.state === "restarting" || (running && (server.health === "unhealthy" || (!server.ok && server.probedAt))))
    tone = "bad";
  else if (server.state === "paused" || (running && server.health === "starting")) tone = "warn";
  else if (running && server.ok) tone = "ok";
  else if (running) tone = "warn";
  const icons = { ok: "\u2714", warn: "\u25B2", bad: "\u2716", off: "\u25CB" };
  let mcp = "MCP not probed";
  if (running && server.probedAt) mcp = server.ok ? "MCP ok" : "MCP failing";
  else if (server.state === "restarting") mcp = `crash loop: restarted ${server.restarts} time${server.restarts === 1 ? "" : "s"}`;
  else if (!running && !STOPPED_STATES.has(server.state)) mcp = "MCP down";
  else if (!running) mcp = "";
  return {
    tone,
    icon: icons[tone],
    state: server.state,
    // Docker keeps the last health status of a stopped container: only a running one's is current.
    health: running && server.health !== "none" ? server.health : "",
    mcp,
    latency: typeof server.latencyMs === "number" ? `${Math.round(server.latencyMs)} ms` : "\u2013 ms",
    // Tools are known only from a server that answered; "0 tools" would claim it lists none.
    tools: server.ok ? `${server.tools.length} ${server.tools.length === 1 ? "tool" : "tools"}` : "\u2013 tools",
  };
}

/** A customer's state from its servers, the same rule as /api/customers: all, some or none running. */
export function customerState(servers) {
  const running = servers.filter((s) => s.state === "running").length;
  if (servers.length > 0 && running === servers.length) return "running";
  return running === 0 ? "stopped" : "partial";
}

/** Whether a customer row shows for the filter text: its name, its id or one of its types contains it. */
export function matchesFilter(customer, query) {
  const q = query.trim().toLowerCase();
  if (!q) return true;
  return [customer.name, customer.id, ...customer.mcp_types].some((s) => String(s).toLowerCase().includes(q));
}

/**
 * Applies one event to the fleet in place. Returns what changed: "cell" (with the server), "reload"
 * (the config changed: fetch the whole fleet again), or "none" for events the page does not know.
 */
export function applyEvent(fleet, event) {
  if (event.type === "config") return { kind: "reload" };
  if (!["state", "health", "probe"].includes(event.type)) return { kind: "none" };
  const server = event.data;
  if (!server || typeof server.customer !== "string" || typeof server.type !== "string") return { kind: "none" };
  const i = fleet.servers.findIndex((s) => s.customer === server.customer && s.type === server.type);
  if (i >= 0) fleet.servers[i] = server;
  else fleet.servers.push(server);
  const customer = fleet.customers.find((c) => c.id === server.customer);
  if (customer) customer.state = customerState(fleet.servers.filter((s) => s.customer === customer.id));
  return { kind: "cell", server };
}

/**
 * An incremental Server-Sent Events parser (the WHATWG rules the page needs: event, data, comments,
 * CRLF or LF). The page reads the stream with fetch(), not EventSource, because EventSource cannot
 * send the Authorization header a token-protected serve needs.
 */
export function sseParser(onEvent) {
  let buffer = "";
  let type = "";
  let data = [];
  const line = (text) => {
    if (text === "") {
      if (data.length) onEvent({ type: type || "message", data: data.join("\n") });
      type = "";
      data = [];
      return;
    }
    if (text.startsWith(":")) return;
    const colon = text.indexOf(":");
    const field = colon < 0 ? text : text.slice(0, colon);
    let value = colon < 0 ? "" : text.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    if (field === "event") type = value;
    else if (field === "data") data.push(value);
  };
  return (chunk) => {
    buffer += chunk;
    // A trailing CR may be the first half of a CRLF split across chunks: keep it for the next one.
    const end = buffer.endsWith("\r") ? buffer.length - 1 : buffer.length;
    const lines = buffer.slice(0, end).split(/\r\n|\r|\n/);
    buffer = (lines.pop() ?? "") + buffer.slice(end);
    for (const l of lines) line(l);
  };
}

/** Reconnect delay: doubling from 1 s to 30 s, with up to 20% jitter so many tabs do not reconnect in step. */
export function backoffMs(attempt, random = Math.random) {
  const base = Math.min(30_000, 1000 * 2 ** Math.max(0, attempt));
  return Math.round(base * (1 + 0.2 * random()));
}
