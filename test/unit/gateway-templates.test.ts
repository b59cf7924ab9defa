/**
 * resources/templates/list through /mcp/<customer>: the customer's servers' templates, aggregated and
 * passed unchanged, and a read of a URI a template makes routed to the server that offered it.
 */
import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { test } from "node:test";
import { createMcpHandler, McpServer, ResourceTemplate } from "@modelcontextprotocol/server";
import { type Backend, fleet } from "../support/gateway-fleet.js";
import { modernClient } from "../support/gateway-kit.js";

/** A dual SDK v2 server with one resource template and no static resource (and a tool: serve probes with tools/list). */
async function templateBackend(): Promise<Backend & { reads: string[] }> {
  const reads: string[] = [];
  const handler = createMcpHandler(() => {
    const server = new McpServer({ name: "backend-south-templates", version: "1.0.0" });
    server.registerTool("ping", { description: "ping" }, async () => ({ content: [{ type: "text", text: "pong" }] }));
    server.registerResource(
      "daily",
      new ResourceTemplate("notes://south/{day}", { list: undefined }),
      { mimeType: "text/plain", description: "south notes of a day", _meta: { "example.invalid/kept": true } },
      async (uri, vars) => {
        reads.push(uri.href);
        return { contents: [{ uri: uri.href, text: `south notes of ${vars.day}` }] };
      },
    );
    return server;
  });
  const http = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers.set(k, v);
    const init = { method: req.method!, headers, ...(req.method === "POST" && { body: Buffer.concat(chunks) }) };
    const answer = await handler.fetch(new Request(`http://127.0.0.1${req.url}`, init));
    res.writeHead(answer.status, Object.fromEntries(answer.headers));
    if (answer.body) for await (const chunk of answer.body) res.write(chunk);
    res.end();
  });
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  return {
    port: (http.address() as AddressInfo).port,
    reads,
    close: () =>
      new Promise<void>((resolve) => {
        http.closeAllConnections();
        http.close(() => resolve());
      }),
  };
}

test("resources/templates/list aggregates the customer's templates unchanged, and a read of a templated URI goes to their owner", async () => {
  const south = await templateBackend();
  await using f = await fleet({ south });
  const client = await modernClient(f.url("acme"));
  try {
    const { resourceTemplates } = await client.listResourceTemplates();
    assert.deepEqual(resourceTemplates, [
      {
        name: "daily",
        uriTemplate: "notes://south/{day}",
        mimeType: "text/plain",
        description: "south notes of a day",
        _meta: { "example.invalid/kept": true },
      },
    ]);
    const read = await client.readResource({ uri: "notes://south/monday" });
    assert.equal((read.contents[0] as { text?: string }).text, "south notes of monday");
    assert.deepEqual(south.reads, ["notes://south/monday"]);
    // North's static resource still routes by its listed URI.
    assert.equal(((await client.readResource({ uri: "notes://north/today" })).contents[0] as { text?: string }).text, "north notes");
    await assert.rejects(client.readResource({ uri: "notes://elsewhere/monday" }), /not found/);
  } finally {
    await client.close();
  }
});
