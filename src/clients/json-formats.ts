/**
 * Pure: the JSON documents of the clients that read JSON. Each follows the client's documented
 * shape for a remote server at a URL; the citations are in the comments.
 */
import type { ClientEntry } from "./client-entries.js";

type Servers<T> = Record<string, T>;

/** Null-prototype maps: a server named "__proto__" stays a key, never the object's prototype. */
function servers<T>(entries: ClientEntry[], each: (e: ClientEntry) => T): Servers<T> {
  const out = Object.create(null) as Servers<T>;
  for (const e of entries) out[e.name] = each(e);
  return out;
}

/**
 * VS Code `.vscode/mcp.json` (code.visualstudio.com/docs/copilot/reference/mcp-configuration):
 * `servers`, each with `type` "http" or "sse" and `url`.
 */
export function vscodeDocument(entries: ClientEntry[]): object {
  return { servers: servers(entries, (e) => ({ type: e.transport === "sse" ? "sse" : "http", url: e.url })) };
}

/**
 * Cursor `mcp.json` (cursor.com/docs/mcp): `mcpServers`, a remote server is a `url`; Cursor takes
 * both Streamable HTTP and SSE endpoints by URL, with no type field.
 */
export function cursorDocument(entries: ClientEntry[]): object {
  return { mcpServers: servers(entries, (e) => ({ url: e.url })) };
}

/** mcp-remote accepts plain http only for localhost and 127.0.0.1; any other host needs --allow-http. */
const mcpRemoteLocal = (url: string) => ["localhost", "127.0.0.1"].includes(new URL(url).hostname);

/**
 * Claude Desktop `claude_desktop_config.json` starts stdio servers only, so each server is bridged
 * by mcp-remote (github.com/geelen/mcp-remote): `npx mcp-remote <url> --transport http-only|sse-only`,
 * the transport pinned so it never falls back to the other one.
 */
export function claudeDesktopDocument(entries: ClientEntry[]): object {
  return {
    mcpServers: servers(entries, (e) => ({
      command: "npx",
      args: [
        "mcp-remote",
        e.url,
        "--transport",
        e.transport === "sse" ? "sse-only" : "http-only",
        ...(mcpRemoteLocal(e.url) ? [] : ["--allow-http"]),
      ],
    })),
  };
}

export const jsonText = (doc: object): string => `${JSON.stringify(doc, null, 2)}\n`;
