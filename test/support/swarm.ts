/**
 * Swarm for integration tests: a single-node swarm on the shared engine, created only when the
 * engine is not in one, and always left again by whoever created it.
 */
import { spawnSync } from "node:child_process";
import { docker } from "./docker.js";

export const swarmState = () => docker(["info", "--format", "{{.Swarm.LocalNodeState}}"]).trim();

/** Joins the engine to a fresh single-node swarm unless it is already in one; true when this call created it. */
export function ensureSwarm(): boolean {
  if (swarmState() === "active") return false;
  docker(["swarm", "init", "--advertise-addr", "127.0.0.1"]);
  return true;
}

export function leaveSwarm(): void {
  spawnSync("docker", ["swarm", "leave", "--force"], { stdio: "ignore", timeout: 60_000 });
}

const lines = (text: string) => text.trim().split("\n").filter(Boolean);

/** `docker stack rm`, then wait (bounded) until its tasks' containers and its networks are gone. */
export async function removeStack(stack: string, timeoutMs = 90_000): Promise<{ gone: boolean; ms: number }> {
  const started = Date.now();
  spawnSync("docker", ["stack", "rm", stack], { stdio: "ignore", timeout: 60_000 });
  const ns = `label=com.docker.stack.namespace=${stack}`;
  while (Date.now() - started < timeoutMs) {
    const left = [...lines(docker(["ps", "-aq", "--filter", ns])), ...lines(docker(["network", "ls", "-q", "--filter", ns]))];
    if (!left.length) return { gone: true, ms: Date.now() - started };
    await new Promise((r) => setTimeout(r, 500));
  }
  return { gone: false, ms: Date.now() - started };
}

/**
 * An MCP client for a helper container: initialize, notifications/initialized, tools/list, over
 * Streamable HTTP (JSON or event-stream answers). Prints one JSON line: the server and tool names,
 * or the error's code. Node's own fetch, so it runs on any image that has node.
 */
export const MCP_CLIENT_SOURCE = `
const [url, timeoutMs] = process.argv.slice(1);
const post = async (body, sid) => {
  const headers = { "content-type": "application/json", accept: "application/json, text/event-stream" };
  if (sid) headers["mcp-session-id"] = sid;
  const r = await fetch(url, { method: "POST", headers, body: JSON.stringify(body), signal: AbortSignal.timeout(Number(timeoutMs)) });
  const text = await r.text();
  const sse = (r.headers.get("content-type") || "").includes("event-stream");
  const json = sse ? JSON.parse(text.split("\\n").find((l) => l.startsWith("data:")).slice(5)) : text ? JSON.parse(text) : undefined;
  return { sid: r.headers.get("mcp-session-id"), json };
};
try {
  const init = await post({ jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "swarm-it", version: "1" } } });
  await post({ jsonrpc: "2.0", method: "notifications/initialized" }, init.sid);
  const list = await post({ jsonrpc: "2.0", id: 2, method: "tools/list" }, init.sid);
  console.log(JSON.stringify({ server: init.json.result.serverInfo.name, protocol: init.json.result.protocolVersion, tools: list.json.result.tools.map((t) => t.name) }));
} catch (e) {
  console.log(JSON.stringify({ error: (e.cause && e.cause.code) || e.name || String(e) }));
}
`;
