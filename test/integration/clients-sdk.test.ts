/**
 * Client exports against real servers: a drill project's tiny servers started on the real engine,
 * the VS Code and Cursor files written by the CLI, and every server in each file reached by the
 * official MCP SDK client (Streamable HTTP) to list its tools. The Claude Desktop and LibreChat
 * files are read back and checked against the same running servers' URLs.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { Client as ClientV2, StreamableHTTPClientTransport as TransportV2 } from "@modelcontextprotocol/client";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { parse } from "yaml";
import { docker, requireEngine } from "../support/docker.js";
import { drill } from "../support/drill.js";

/**
 * Connects like an editor does, lists the tools by name, and closes the session: with a 2025 client
 * (SDK v1) and with a current one (SDK v2, negotiating the revision), which must agree.
 */
async function toolNames(url: string): Promise<string[]> {
  const v1 = new Client({ name: "mcps-clients-test", version: "1.0.0" });
  await v1.connect(new StreamableHTTPClientTransport(new URL(url)));
  const v2 = new ClientV2({ name: "mcps-clients-test", version: "2.0.0" }, { versionNegotiation: { mode: "auto" } });
  await v2.connect(new TransportV2(new URL(url)));
  try {
    const [older, current] = await Promise.all([v1.listTools(), v2.listTools()]);
    const names = older.tools.map((t) => t.name).sort();
    assert.deepEqual(current.tools.map((t) => t.name).sort(), names, "both revisions' clients list the same tools");
    return names;
  } finally {
    await Promise.all([v1.close(), v2.close()]);
  }
}

test("exported VS Code and Cursor files reach every running server through the MCP SDK; all four files match them", {
  timeout: 300_000,
}, async (t) => {
  if (!requireEngine(t)) return;
  const d = drill();
  const ids = [`cb${d.tag}`, `ca${d.tag}`];
  const names = ids.map((id) => `${id}-tiny`).sort();
  try {
    d.writeConfig(ids.map((id) => ({ id })));
    const started = d.run(["start", "--all", "--wait", "--timeout", "60", "--build-arg", `BASE_IMAGE=${d.base}`]);
    assert.equal(started.code, 0, started.stderr);

    // Where the engine really published each server: the URL every file must carry.
    const served = new Map(
      ids.map((id) => {
        const hostPort = docker(["port", `${d.project}-mcp-tiny-${id}`, "8000/tcp"])
          .trim()
          .split("\n")[0]!;
        return [`${id}-tiny`, `http://${hostPort}/mcp`];
      }),
    );
    for (const url of served.values()) assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/mcp$/);

    const files: Record<string, string> = {
      vscode: "vscode-mcp.json",
      cursor: "cursor-mcp.json",
      "claude-desktop": "claude_desktop_config.json",
      librechat: "librechat.yaml",
    };
    for (const [format, file] of Object.entries(files)) {
      const r = d.run(["clients", "export", "--for", format, "--out", file]);
      assert.equal(r.code, 0, `${format}: ${r.stderr}`);
    }
    const read = (format: string) => readFileSync(path.join(d.dir, files[format]!), "utf8");

    const vscode = JSON.parse(read("vscode")).servers as Record<string, { type: string; url: string }>;
    const cursor = JSON.parse(read("cursor")).mcpServers as Record<string, { url: string }>;
    assert.deepEqual(Object.keys(vscode), names);
    assert.deepEqual(Object.keys(cursor), names);
    for (const name of names) {
      assert.deepEqual(vscode[name], { type: "http", url: served.get(name) });
      assert.deepEqual(cursor[name], { url: served.get(name) });
      assert.deepEqual(await toolNames(vscode[name]!.url), ["echo"], `${name} from the VS Code file`);
      assert.deepEqual(await toolNames(cursor[name]!.url), ["echo"], `${name} from the Cursor file`);
    }

    const claude = JSON.parse(read("claude-desktop")).mcpServers;
    assert.deepEqual(Object.keys(claude), names);
    for (const name of names) {
      assert.deepEqual(claude[name], { command: "npx", args: ["mcp-remote", served.get(name), "--transport", "http-only"] });
    }

    const libre = parse(read("librechat"));
    assert.deepEqual(Object.keys(libre.mcpServers), names);
    for (const name of names) {
      assert.deepEqual(libre.mcpServers[name], { type: "streamable-http", url: served.get(name), requiresOAuth: false });
    }
    assert.deepEqual(libre.mcpSettings.allowedAddresses, [...served.values()].map((u) => new URL(u).host).sort());
    // The drill's credential is in the CLI's environment and the containers; never in an export.
    for (const format of Object.keys(files)) assert.ok(!read(format).includes("drill-token-value"), format);
  } finally {
    d.cleanup();
  }
});
