/**
 * The dashboard's pure half: no DOM, no network, so node's test runner checks it directly
 * (test/unit/dashboard-fleet.test.ts) and the page module stays about wiring.
 */

/** Key of one matrix cell. Ids and types never contain a NUL, so the pair cannot collide. */
export function cellKey(customer, type) {
  return `${customer}\u0000${type}`;
}

/** The verdict (src/orchestrate/verdict.ts, the one `mcps status` gives) as a tone, an icon and a word. */
const VERDICT_LOOK = {
  ok: { tone: "ok", icon: "\u2714", word: "ok" },
  starting: { tone: "warn", icon: "\u25B2", word: "starting" },
  stale: { tone: "warn", icon: "\u25B2", word: "stale" },
  misconfigured: { tone: "bad", icon: "\u2716", word: "misconfigured" },
  failing: { tone: "bad", icon: "\u2716", word: "failing" },
  stopped: { tone: "off", icon: "\u25CB", word: "stopped" },
};

/**
 * What a cell says. The page decides nothing: the verdict picks the tone (the colour), and the icon
 * and the word carry the same meaning, so colour is never the only carrier.
 */
/** "3 tools", or "2 of 3 tools" when the gateway's policy hides some (serve sends only the exposed names). */
function toolCount(server) {
  const n = server.tools.length;
  const total = typeof server.toolsTotal === "number" ? server.toolsTotal : n;
  return total > n ? `${n} of ${total} tools` : `${n} ${n === 1 ? "tool" : "tools"}`;
}

export function cellView(server) {
  if (!server) return { tone: "none", icon: "", state: "not configured", health: "", mcp: "", latency: "", tools: "" };
  const look = VERDICT_LOOK[server.verdict] ?? VERDICT_LOOK.failing;
  const running = server.state === "running";
  // serve sends a latency only for a probe that answered.
  const answered = typeof server.latencyMs === "number";
  return {
    tone: look.tone,
    icon: look.icon,
    state: server.state,
    verdict: look.word,
    // Docker keeps the last health status of a stopped container: serve sends "none" for it.
    health: server.health !== "none" ? server.health : "",
    mcp: running && server.probedAt ? (answered ? "MCP ok" : "MCP failing") : "",
    latency: typeof server.latencyMs === "number" ? `${Math.round(server.latencyMs)} ms` : "\u2013 ms",
    // Tools are known only from a server that answered; "0 tools" would claim it lists none.
    tools: answered ? toolCount(server) : "\u2013 tools",
  };
}

/** Whether a customer row shows for the filter text: its name, its id or one of its types contains it. */
export function matchesFilter(customer, query) {
  const q = query.trim().toLowerCase();
  if (!q) return true;
  return [customer.name, customer.id, ...customer.mcp_types].some((s) => String(s).toLowerCase().includes(q));
}

/**
 * Applies one event to the fleet in place. Returns what changed: "cell" (with the server), "customer"
 * (its state, as serve decided it), "reload" (the config changed: fetch the whole fleet again), or
 * "none" for events the page does not know.
 */
export function applyEvent(fleet, event) {
  if (event.type === "config") return { kind: "reload" };
  if (event.type === "customer") {
    const customer = fleet.customers.find((c) => c.id === event.data?.id);
    if (!customer || typeof event.data.state !== "string") return { kind: "none" };
    customer.state = event.data.state;
    return { kind: "customer", customer };
  }
  if (!["state", "health", "probe"].includes(event.type)) return { kind: "none" };
  const server = event.data;
  if (!server || typeof server.customer !== "string" || typeof server.type !== "string") return { kind: "none" };
  const i = fleet.servers.findIndex((s) => s.customer === server.customer && s.type === server.type);
  if (i >= 0) fleet.servers[i] = server;
  else fleet.servers.push(server);
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
