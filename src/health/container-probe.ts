/**
 * The health check that runs inside each container: a real MCP exchange (server/discover, or the 2025
 * initialize and the session's DELETE), needing only `sh` and `node` in the image (no curl). Docker
 * runs it as `sh -c <fresh check> mcps-healthcheck node -e <source> <port> <path> <transport>
 * <budgetMs> <trustForMs>` (containerProbeCommand). The protocol, the answer reading and the success rules are the shared text
 * of mcp-protocol.ts, the very code the host probe runs; only this small driver (which exchanges to
 * make, how to exit, the verdict it leaves) is its own. A session is deleted even after a failure:
 * each session may hold a process on the server.
 */
import { SHARED_PROBE_SOURCE } from "./probe-source.js";

/**
 * Where a passed check leaves its verdict, with the file's mtime set to when the verdict expires. /dev/shm
 * is a tmpfs that Docker mounts afresh at every start of a container, so a verdict never outlives the run
 * of the server it judged (a restarted container is checked in full from its first check on).
 */
const FRESH_MARKER = "/dev/shm/mcps-healthy";
/** A fresh verdict answers the check with `sh` and `touch` (about 2 ms of CPU) instead of node (about 110 ms). */
const FRESH_CHECK = `touch ${FRESH_MARKER}.now && [ ${FRESH_MARKER} -nt ${FRESH_MARKER}.now ] || exec "$@"`;

/** Where the check connects: its own container (the health check), or a host named on its network (a helper's probe). */
const TARGETS = {
  local: `const [port, path, transport, timeoutMs, freshMs] = process.argv.slice(1);
const url = "http://127.0.0.1:" + port + path;
const MARKER = "${FRESH_MARKER}";`,
  network: `const [port, path, transport, timeoutMs, host] = process.argv.slice(1);
const url = "http://" + host + ":" + port + path;
const freshMs = "0";
const MARKER = "";`,
};

/** Same rules as the shared text: no "$", no line comments, statements end in ";". */
const driverSource = (target: keyof typeof TARGETS) => `
const http = require("http");
${TARGETS[target]}
const NAME = "mcps-healthcheck";
const remember = (ok) => { if (!(Number(freshMs) > 0)) return; const fs = require("fs"); try { if (!ok) { fs.rmSync(MARKER, { force: true }); return; } fs.writeFileSync(MARKER, ""); const until = (Date.now() + Number(freshMs)) / 1000; fs.utimesSync(MARKER, until, until); } catch (e) { return; } };
const finish = (v) => { remember(v.ok); if (v.ok) process.exit(0); console.error("mcp probe: " + v.error); process.exit(1); };
setTimeout(() => finish({ ok: false, error: "no answer in " + timeoutMs + " ms" }), Number(timeoutMs) || 5000);
const post = (headers, message) => exchange(url, { method: "POST", headers: Object.assign({ "content-type": "application/json", accept: "application/json, text/event-stream" }, headers), body: JSON.stringify(message) });
const discover = async () => {
  const res = await post(modernHeaders("server/discover"), { jsonrpc: "2.0", id: 1, method: "server/discover", params: modernParams({}, NAME, "1") });
  const failure = await statusFailure("server/discover", res);
  if (failure) return { ok: false, error: failure, legacy: true };
  const got = await readAnswer("server/discover", res, 1);
  return got.message ? discoverVerdict(got.message) : { ok: false, error: got.error };
};
const initialize = async () => {
  const res = await post({}, { jsonrpc: "2.0", id: 1, method: "initialize", params: initializeParams(NAME, "1") });
  const sid = res.headers["mcp-session-id"];
  const failure = await statusFailure("initialize", res);
  const got = failure ? { error: failure } : await readAnswer("initialize", res, 1);
  if (sid) await exchange(url, { method: "DELETE", headers: { "mcp-session-id": String(sid) } }).then((r) => r.resume()).catch(() => {});
  return got.message ? initializeVerdict(got.message) : { ok: false, error: got.error };
};
const streamable = async () => {
  const modern = await discover();
  if (modern.ok || !modern.legacy) return modern;
  const older = await initialize();
  return older.ok ? older : { ok: false, error: whichFailure(modern.error, older.error) };
};
const legacy = async () => {
  const body = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "initialize", params: initializeParams(NAME, "1") });
  const get = await exchange(url, { method: "GET", headers: { accept: "text/event-stream" } });
  const failure = await statusFailure("GET", get);
  if (failure) return { ok: false, error: failure };
  const feed = sseParser();
  let posted = false;
  get.setEncoding("utf8");
  for await (const piece of get) {
    for (const e of feed(piece)) {
      if (e.event === "endpoint" && !posted) {
        posted = true;
        const post = await exchange(new URL(e.data.trim(), url), { method: "POST", headers: { "content-type": "application/json" }, body: body });
        const bad = await statusFailure("initialize", post);
        if (bad) return { ok: false, error: bad };
        post.resume();
      }
      const m = e.event === "message" ? answerTo(parseJson(e.data), 1) : undefined;
      if (m) return initializeVerdict(m);
    }
  }
  return { ok: false, error: posted ? "initialize: the event stream ended without an answer" : "GET: the event stream ended before an endpoint event" };
};
(transport === "sse" ? legacy() : streamable()).then(finish, (e) => finish({ ok: false, error: describeError(e) }));
`;

/** One line: keeps the compose file readable; the shared definition comes first, then the driver. */
const oneLine = (target: keyof typeof TARGETS) =>
  `${SHARED_PROBE_SOURCE}\n${driverSource(target)}`
    .trim()
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "")
    .join(" ");

export const CONTAINER_PROBE_SOURCE = oneLine("local");

/**
 * The same check run from another container on the server's network (`mcps status --target swarm`):
 * `node -e <source> <port> <path> <transport> <timeoutMs> <host>`. Only the address differs.
 */
export const NETWORK_PROBE_SOURCE = oneLine("network");

/**
 * The check's own time limit, inside Docker's: it gives up first, so the health log says why
 * ("no answer in 4000 ms") instead of Docker's bare "exceeded timeout"; node's start takes the rest.
 */
export const checkBudgetMs = (timeoutMs: number) => timeoutMs - Math.min(1000, Math.floor(timeoutMs / 2));

/** The plan's ProbePlan, as this module reads it (declared here so health/ needs nothing from plan/). */
export interface ProbeData {
  port: number;
  path: string;
  transport: string;
  budgetMs: number;
  trustForMs: number;
}

/**
 * Docker runs the check every interval; node costs a container about 110 ms of CPU each time, which at a
 * 5 s interval is 2% of a core per idle container. So a passed check is trusted for `trustForMs`: until then
 * a check is `sh` comparing two file times, and the full MCP exchange runs once per `trustForMs` (and at every
 * check while the server is starting or failing). A server that hangs in between is still caught at once by
 * mcps (status, heal and serve probe from the host); Docker sees it within `trustForMs` plus its retries.
 *
 * The one place the plan's probe becomes a command line: compose, the stack file and the engine spec
 * take it with Docker's "CMD" marker, Kubernetes' exec probe without (execProbeCommand).
 */
export function execProbeCommand(probe: ProbeData): string[] {
  const node = ["node", "-e", CONTAINER_PROBE_SOURCE, ...probeArgs(probe, probe.budgetMs), String(probe.trustForMs)];
  return ["/bin/sh", "-c", FRESH_CHECK, "mcps-healthcheck", ...node];
}

export function containerProbeCommand(probe: ProbeData): string[] {
  return ["CMD", ...execProbeCommand(probe)];
}

/** The same check from a helper container on the server's network, addressed to `host`, within `budgetMs`. */
export function networkProbeCommand(probe: ProbeData, host: string, budgetMs: number): string[] {
  return ["node", "-e", NETWORK_PROBE_SOURCE, ...probeArgs(probe, budgetMs), host];
}

const probeArgs = (probe: ProbeData, budgetMs: number) => [String(probe.port), probe.path, probe.transport, String(budgetMs)];
