// The one stdio MCP server of a container, kept alive: spawned through the SDK's stdio client,
// initialized once (the 2025 `initialize` handshake, no client capabilities), and restarted with
// exponential backoff whenever it exits. Every HTTP client shares this one process.
import { Client } from "@modelcontextprotocol/client";
import { StdioClientTransport } from "@modelcontextprotocol/client/stdio";

export const BRIDGE_INFO = { name: "mcps-bridge", version: "1.0.0" };

/** First restart delay, doubled after each exit up to the cap; reset once a child has stayed up a while. */
export const BACKOFF_FIRST_MS = 500;
export const BACKOFF_MAX_MS = 30_000;
export const STABLE_AFTER_MS = 60_000;

/**
 * The SDK keeps the spawned process private and reports only "closed": this keeps a handle on it for
 * the exit code and signal in the log line, and nothing else (the SDK pins are exact, see package.json).
 */
class ChildTransport extends StdioClientTransport {
  async start() {
    await super.start();
    this.process = this._process;
  }
}

/** "code 1", "signal SIGKILL", or "" when the process is not known (it never started). */
function exitOf(proc) {
  if (!proc) return "";
  if (proc.signalCode) return `signal ${proc.signalCode}`;
  return proc.exitCode === null ? "" : `code ${proc.exitCode}`;
}

const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;

/**
 * Progress from the child, relayed by token as each message is read. Not through the SDK client's
 * `onprogress`: the client runs notification handlers a microtask late but settles a response at
 * once, so the last progress before a result (sent in the same read) found its request gone.
 * Tokens are the bridge's own (unique across restarts); the forwarder maps them back.
 */
function progressRelay() {
  const relays = new Map();
  let next = 0;
  return {
    /** A fresh token whose progress goes to `relay` until `release()`. */
    open(relay) {
      const token = `mcps-bridge-${++next}`;
      relays.set(token, relay);
      return { token, release: () => relays.delete(token) };
    },
    /** The transport's message hook: runs before the SDK client sees the message. */
    see(message) {
      if (message?.method === "notifications/progress") relays.get(message.params?.progressToken)?.(message.params);
    },
  };
}

/**
 * Starts the child and keeps it running until close(). `current()` is the live link, or undefined
 * while the child is starting or restarting. `onNotification` receives every notification of the
 * child but progress (see progressRelay).
 */
export function superviseChild({ command, args, log, onNotification, onRestarted }) {
  const progress = progressRelay();
  let link;
  let delayMs = BACKOFF_FIRST_MS;
  let timer;
  let closing = false;
  let starts = 0;

  /** Called once per child, however it ended (failed start, exit, broken channel). */
  function ended(client, transport, upSince, why) {
    if (link?.client === client) link = undefined;
    client.close().catch(() => {}); // kills the process if it still runs
    if (closing) return;
    const upMs = upSince === undefined ? 0 : Date.now() - upSince;
    if (upMs >= STABLE_AFTER_MS) delayMs = BACKOFF_FIRST_MS;
    const exit = exitOf(transport.process);
    log(`child ${why}${exit ? ` (${exit})` : ""}${upSince === undefined ? "" : ` after ${seconds(upMs)}`}; restarting in ${seconds(delayMs)}`);
    timer = setTimeout(start, delayMs);
    delayMs = Math.min(delayMs * 2, BACKOFF_MAX_MS);
  }

  async function start() {
    timer = undefined;
    // The whole environment: the SDK's default passes only HOME, PATH and a few more, and the
    // server's configuration (URLs, credentials) arrives as container variables.
    const transport = new ChildTransport({ command, args, env: process.env, stderr: "inherit" });
    // Set before connect: the client then calls it first, for every message, in the order read.
    transport.onmessage = progress.see;
    const client = new Client(BRIDGE_INFO, { capabilities: {} });
    client.setNotificationHandler("notifications/progress", () => {});
    let done = false;
    let upSince;
    const end = (why) => {
      if (done) return;
      done = true;
      ended(client, transport, upSince, why);
    };
    client.fallbackNotificationHandler = async (n) => onNotification(n);
    // Before the child is up, a failure is reported once, as the failed start.
    client.onerror = (e) => upSince !== undefined && log(`child channel: ${e.message}`);
    client.onclose = () => end("exited");
    try {
      await client.connect(transport);
    } catch (e) {
      end(`failed to start: ${e.message}`);
      return;
    }
    if (done || closing) return void client.close().catch(() => {});
    upSince = Date.now();
    link = {
      client,
      progress,
      serverInfo: client.getServerVersion() ?? BRIDGE_INFO,
      capabilities: client.getServerCapabilities() ?? {},
      instructions: client.getInstructions(),
    };
    starts += 1;
    log(`child started (pid ${transport.pid}): ${link.serverInfo.name} ${link.serverInfo.version}`);
    // A restarted server may list other tools than the one it replaces.
    if (starts > 1) onRestarted?.(link);
  }

  start();
  return {
    current: () => link,
    async close() {
      closing = true;
      clearTimeout(timer);
      await link?.client.close();
    },
  };
}
