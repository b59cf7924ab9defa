#!/usr/bin/env node
// mcps's stdio bridge: serves one stdio MCP server to any number of HTTP clients.
//
//   node /opt/mcps-bridge/bridge.mjs [--port 8000] [--path /mcp] -- <command> [args...]
//
// The command is run without a shell, once per container, and kept running (restarted with backoff
// when it exits). Every HTTP client is multiplexed onto it over Streamable HTTP: MCP 2026-07-28
// clients, and 2025-era clients served statelessly (each request stands alone, so GET and DELETE
// session operations answer 405). Logs go to stderr; the child's stderr is passed through; the
// bridge's stdout is not used.
import { createMcpHandler } from "@modelcontextprotocol/server";
import { superviseChild } from "./child.mjs";
import { forwardingFactory } from "./forward.mjs";
import { createHttpFront } from "./http-front.mjs";

/** Shutdown must finish well inside the container's stop grace (10 s), child included. */
const SHUTDOWN_LIMIT_MS = 8_000;

const log = (line) => process.stderr.write(`mcps-bridge: ${line}\n`);

const USAGE = "usage: bridge.mjs [--port 8000] [--path /mcp] -- <command> [args...]";

/** `[--port N] [--path /p] -- command args...`; anything else is a usage error (exit 2). */
function parseArgs(argv) {
  const options = { port: 8000, path: "/mcp" };
  let i = 0;
  for (; i < argv.length && argv[i] !== "--"; i += 2) {
    const [name, value] = [argv[i], argv[i + 1]];
    if (name === "--port" && /^[0-9]+$/.test(value ?? "") && Number(value) >= 1 && Number(value) <= 65535) options.port = Number(value);
    else if (name === "--path" && /^\/\S*$/.test(value ?? "")) options.path = value;
    else throw new Error(`bad option ${name}${value === undefined ? "" : ` ${value}`}`);
  }
  const [command, ...args] = argv.slice(i + 1);
  if (!command) throw new Error("no child command after --");
  return { ...options, command, args };
}

/** The child's list changes reach every open 2026-07-28 subscription stream (2025 clients here have none). */
function relayNotification(notify, n) {
  if (n.method === "notifications/tools/list_changed") notify.toolsChanged();
  else if (n.method === "notifications/prompts/list_changed") notify.promptsChanged();
  else if (n.method === "notifications/resources/list_changed") notify.resourcesChanged();
  else if (n.method === "notifications/resources/updated" && typeof n.params?.uri === "string") notify.resourceUpdated(n.params.uri);
  // Anything else (log messages, say) belongs to no HTTP client in particular: dropped.
}

function main(argv) {
  let options;
  try {
    options = parseArgs(argv);
  } catch (e) {
    log(`${e.message}\n${USAGE}`);
    process.exit(2);
  }
  let handler;
  const child = superviseChild({
    command: options.command,
    args: options.args,
    log,
    onNotification: (n) => relayNotification(handler.notify, n),
    onRestarted: () => {
      handler.notify.toolsChanged();
      handler.notify.promptsChanged();
      handler.notify.resourcesChanged();
    },
  });
  handler = createMcpHandler(forwardingFactory(child), { onerror: (e) => log(`mcp: ${e.message}`) });
  const server = createHttpFront({ handler, path: options.path, ready: () => child.current() !== undefined, log });
  server.listen(options.port, "0.0.0.0", () => log(`listening on 0.0.0.0:${options.port}${options.path}`));
  server.on("error", (e) => {
    log(`cannot listen on port ${options.port}: ${e.message}`);
    process.exit(1);
  });

  let stopping = false;
  const stop = async (signal) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: stopping`);
    setTimeout(() => process.exit(0), SHUTDOWN_LIMIT_MS).unref();
    server.close();
    server.closeAllConnections();
    await Promise.allSettled([handler.close(), child.close()]);
    process.exit(0);
  };
  process.once("SIGTERM", () => stop("SIGTERM"));
  process.once("SIGINT", () => stop("SIGINT"));
}

main(process.argv.slice(2));
