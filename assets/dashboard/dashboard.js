/**
 * The page: renders /api/fleet as a customer x type matrix and keeps it live from /api/events.
 * Every string from the API goes in through textContent, never markup. With a token-protected
 * serve every request carries `Authorization: Bearer`, so the event stream is read with fetch()
 * (EventSource cannot send headers): one code path with or without a token.
 */
import { applyEvent, backoffMs, cellKey, cellView, matchesFilter, sseParser } from "./fleet.js";

const TOKEN_KEY = "mcps.token";
/** serve sends keepalive comments; a stream silent for this long is treated as dead. */
const SILENCE_MS = 60_000;
const $ = (id) => document.getElementById(id);
const page = { fleet: null, cells: new Map(), rows: new Map(), attempt: 0, popId: 0, loads: 0 };

class Unauthorized extends Error {}

function el(tag, className, text) {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (text !== undefined) e.textContent = text;
  return e;
}

async function api(path, init = {}) {
  const headers = new Headers(init.headers);
  const token = sessionStorage.getItem(TOKEN_KEY);
  if (token) headers.set("Authorization", `Bearer ${token}`);
  const res = await fetch(path, { ...init, headers, cache: "no-store" });
  if (res.status === 401) throw new Unauthorized();
  return res;
}

/** Shows the token form once and resolves when the user submits it; a refused token is forgotten. */
function askToken() {
  const hadToken = sessionStorage.getItem(TOKEN_KEY) !== null;
  sessionStorage.removeItem(TOKEN_KEY);
  setLive("off", "token needed");
  const form = $("token-form");
  $("token-note").textContent = hadToken ? "That token was refused." : "";
  form.hidden = false;
  $("token").focus();
  return new Promise((resolve) => {
    form.onsubmit = (e) => {
      e.preventDefault();
      sessionStorage.setItem(TOKEN_KEY, $("token").value);
      $("token").value = "";
      form.hidden = true;
      resolve();
    };
  });
}

function setLive(tone, word) {
  $("live").dataset.tone = tone;
  $("live-word").textContent = word;
}

function showConfig(config) {
  const banner = $("config-error");
  banner.hidden = config.ok;
  banner.textContent = config.ok ? "" : `Config not reloaded, serving the last good one: ${config.error ?? "unknown error"}`;
}

function fillCell(td, server) {
  const v = cellView(server);
  td.dataset.tone = v.tone;
  const [button, pop] = td.children;
  button.replaceChildren(el("span", "icon", v.icon), el("span", "state", v.state));
  if (v.verdict && v.verdict !== "ok") button.append(el("span", "verdict", v.verdict));
  button.firstChild.setAttribute("aria-hidden", "true");
  if (v.health) button.append(el("span", "health", v.health));
  if (!server) return;
  button.append(el("span", "meta", `${v.latency} \u00B7 ${v.tools}`));
  const facts = [
    v.mcp,
    server.protocolVersion && `MCP ${server.protocolVersion}`,
    `restarts ${server.restarts}`,
    server.probedAt ? `probed ${new Date(server.probedAt).toLocaleTimeString()}` : "not probed",
  ];
  const list = el("ul", "tools");
  for (const t of server.tools) list.append(el("li", "", t));
  if (!server.tools.length) list.append(el("li", "none", "no tools listed"));
  pop.replaceChildren(
    el("p", "where", `${server.customerName} / ${server.type}`),
    el("p", "url", `${server.url} (${server.transport})`),
    el("p", "facts", facts.filter(Boolean).join(" \u00B7 ")),
    el("p", "label", `Tools (${server.tools.length})`),
    list,
    el("p", server.error ? "error" : "label", server.error ? `Last error: ${server.error}` : "No error"),
  );
}

function makeCell(server) {
  const td = el("td", "cell");
  const button = el("button", "sum");
  const pop = el("div", "pop");
  pop.id = `pop-${++page.popId}`;
  pop.setAttribute("role", "tooltip");
  button.type = "button";
  button.setAttribute("aria-describedby", pop.id);
  button.setAttribute("aria-expanded", "false");
  // Click pins the popover open; hover and focus show it too (CSS); Escape hides it until the
  // pointer or the focus leaves (the WAI-ARIA tooltip pattern).
  button.onclick = () => {
    td.classList.remove("dismissed");
    button.setAttribute("aria-expanded", String(button.getAttribute("aria-expanded") !== "true"));
  };
  button.onkeydown = (e) => {
    if (e.key !== "Escape") return;
    button.setAttribute("aria-expanded", "false");
    td.classList.add("dismissed");
  };
  button.onblur = () => td.classList.remove("dismissed");
  td.onmouseleave = () => td.classList.remove("dismissed");
  if (!server) button.disabled = true;
  td.append(button, pop);
  fillCell(td, server);
  return td;
}

async function act(customer, action, row) {
  const buttons = row.querySelectorAll(".actions button");
  const result = row.querySelector(".result");
  for (const b of buttons) b.disabled = true;
  result.dataset.tone = "warn";
  result.textContent = action === "start" ? "Starting\u2026" : "Stopping\u2026";
  try {
    const res = await api(`/api/customers/${encodeURIComponent(customer.id)}/${action}`, { method: "POST" });
    const body = await res.json().catch(() => null);
    result.dataset.tone = res.ok ? "ok" : "bad";
    result.textContent = res.ok ? (action === "start" ? "Started" : "Stopped") : `Failed: ${body?.error?.message ?? `HTTP ${res.status}`}`;
  } catch (e) {
    result.dataset.tone = "bad";
    result.textContent = e instanceof Unauthorized ? "Failed: the token was refused" : `Failed: ${e.message}`;
  } finally {
    for (const b of buttons) b.disabled = false;
  }
}

function makeRow(customer, types, servers) {
  const row = el("tr");
  const who = el("th", "who");
  who.scope = "row";
  const line = el("div", "who-line");
  // The customer's one MCP endpoint (the gateway), at the address this page was loaded from.
  const gateway = el("code", "gateway", `${location.origin}/mcp/${encodeURIComponent(customer.id)}`);
  gateway.title = "MCP endpoint of this customer (gateway)";
  line.append(el("span", "name", customer.name), el("span", "id", customer.id), gateway, el("span", "cstate"));
  const actions = el("span", "actions");
  for (const action of ["start", "stop"]) {
    const b = el("button", action, action === "start" ? "Start" : "Stop");
    b.type = "button";
    b.setAttribute("aria-label", `${b.textContent} ${customer.name}`);
    b.onclick = () => act(customer, action, row);
    actions.append(b);
  }
  const result = el("span", "result");
  result.setAttribute("role", "status");
  line.append(result, actions);
  who.append(line);
  row.append(who);
  for (const type of types) {
    const server = servers.find((s) => s.customer === customer.id && s.type === type);
    const td = makeCell(server);
    page.cells.set(cellKey(customer.id, type), td);
    row.append(td);
  }
  page.rows.set(customer.id, { row, customer });
  paintCustomer(customer);
  return row;
}

function paintCustomer(customer) {
  const status = page.rows.get(customer.id)?.row.querySelector(".cstate");
  if (!status) return;
  status.dataset.state = customer.state;
  status.textContent = customer.state;
}

function render(fleet) {
  page.fleet = fleet;
  page.cells.clear();
  page.rows.clear();
  $("project").textContent = `project ${fleet.project}`;
  showConfig(fleet.config);
  const head = [el("th", "", "Customer"), ...fleet.types.map((t) => el("th", "", t))];
  for (const th of head) th.scope = "col";
  $("head").replaceChildren(...head);
  $("rows").replaceChildren(...fleet.customers.map((c) => makeRow(c, fleet.types, fleet.servers)));
  applyFilter();
}

function applyFilter() {
  const query = $("filter").value;
  let shown = 0;
  for (const { row, customer } of page.rows.values()) {
    row.hidden = !matchesFilter(customer, query);
    if (!row.hidden) shown++;
  }
  $("count").textContent = `${shown} of ${page.rows.size} customers`;
  $("empty").hidden = shown > 0 || page.rows.size === 0;
}

/** Two config events in a row start two loads: only the last one started may render. */
async function loadFleet() {
  const seq = ++page.loads;
  const res = await api("/api/fleet");
  if (!res.ok) throw new Error(`/api/fleet: HTTP ${res.status}`);
  const fleet = await res.json();
  if (seq === page.loads) render(fleet);
}

function onEvent({ type, data }) {
  let parsed;
  try {
    parsed = JSON.parse(data);
  } catch {
    return;
  }
  if (!page.fleet) return;
  if (type === "config" && parsed && typeof parsed.ok === "boolean") showConfig(parsed);
  const change = applyEvent(page.fleet, { type, data: parsed });
  if (change.kind === "customer") return void paintCustomer(change.customer);
  const td = change.kind === "cell" ? page.cells.get(cellKey(change.server.customer, change.server.type)) : undefined;
  // A config change, or a server the matrix has no cell for, needs the whole fleet again.
  if (change.kind === "reload" || (change.kind === "cell" && !td)) return void loadFleet().catch(() => {});
  if (!td) return;
  fillCell(td, change.server);
  td.classList.remove("changed");
  void td.offsetWidth; // restart the highlight animation
  td.classList.add("changed");
  const customer = page.fleet.customers.find((c) => c.id === change.server.customer);
  if (customer) paintCustomer(customer);
}

/** Opens the stream first, then loads the fleet, so no event between the two is lost. */
async function follow() {
  const res = await api("/api/events", { headers: { Accept: "text/event-stream" } });
  if (!res.ok || !res.body) throw new Error(`/api/events: HTTP ${res.status}`);
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let silence = setTimeout(() => reader.cancel(), SILENCE_MS);
  try {
    await loadFleet();
    page.attempt = 0;
    setLive("ok", "live");
    const push = sseParser(onEvent);
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      clearTimeout(silence);
      silence = setTimeout(() => reader.cancel(), SILENCE_MS);
      push(value);
    }
  } finally {
    clearTimeout(silence);
  }
}

async function run() {
  for (;;) {
    try {
      await follow();
    } catch (e) {
      if (e instanceof Unauthorized) {
        await askToken();
        continue;
      }
    }
    const waitMs = backoffMs(page.attempt++);
    setLive("warn", `reconnecting in ${Math.round(waitMs / 1000)} s`);
    await new Promise((r) => setTimeout(r, waitMs));
    setLive("warn", "reconnecting\u2026");
  }
}

$("filter").addEventListener("input", applyFilter);
void run();
