/**
 * The transport each file names is the one the server speaks: an in-process MCP server per transport
 * (Streamable HTTP and legacy SSE), a VS Code file rendered for both, and the official SDK client
 * connecting the way the file's `type` says ("http": Streamable HTTP, "sse": SSE) to list the tools.
 * Both servers listen on 127.0.0.1 while the plan says 0.0.0.0, so the rewrite is exercised too.
 */
import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { SSEClientTransport } from "@modelcontextprotocol/sdk/client/sse.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { renderClientConfig } from "../../src/clients/render-client-config.js";
import { loadPlan } from "../../src/load/load-plan.js";
import { startFakeMcpServer } from "../support/fake-mcp-server.js";
import { fixtureCustomer, workspace } from "../support/workspace.js";

async function listTools(entry: { type: string; url: string }): Promise<string[]> {
  const url = new URL(entry.url);
  const transport = entry.type === "sse" ? new SSEClientTransport(url) : new StreamableHTTPClientTransport(url);
  const client = new Client({ name: "mcps-clients-test", version: "1.0.0" });
  await client.connect(transport);
  try {
    return (await client.listTools()).tools.map((t) => t.name);
  } finally {
    await client.close();
  }
}

test("VS Code entries of both transports connect with the SDK transport their type names", async () => {
  const http = await startFakeMcpServer({ transport: "streamable-http", tools: 2 });
  const sse = await startFakeMcpServer({ transport: "sse", tools: 3 });
  const dir = workspace({ defaults: { bind_address: "0.0.0.0", expose: true }, customers: [fixtureCustomer("Acme")] });
  try {
    const { plan } = await loadPlan({ config: path.join(dir, "mcp_servers.json"), catalog: path.join(dir, "mcps") });
    // The fixture's alpha is Streamable HTTP at /mcp and beta is SSE at /sse: point each at its server.
    const services = plan.services.map((s) => {
      const server = s.transport === "sse" ? sse : http;
      assert.equal(server.path, s.path);
      return { ...s, hostPort: server.port, url: `http://0.0.0.0:${server.port}${s.path}` };
    });
    const doc = JSON.parse(renderClientConfig("vscode", services).text);
    assert.deepEqual(doc.servers["acme-alpha"], { type: "http", url: `http://127.0.0.1:${http.port}/mcp` });
    assert.deepEqual(doc.servers["acme-beta"], { type: "sse", url: `http://127.0.0.1:${sse.port}/sse` });
    assert.equal((await listTools(doc.servers["acme-alpha"])).length, 2);
    assert.equal((await listTools(doc.servers["acme-beta"])).length, 3);
    assert.equal(http.counts.toolsList, 1);
    assert.equal(sse.counts.toolsList, 1);
  } finally {
    await Promise.all([http.close(), sse.close()]);
    rmSync(dir, { recursive: true, force: true });
  }
});
