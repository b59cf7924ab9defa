/**
 * The gateway routes a POSTed request or notification (an object with a method) whose MCP-Protocol-Version
 * header names 2026-07-28 to the modern leg without
 * asking the SDK's classifier (it would classify it twice otherwise). That holds only while the SDK
 * itself sends every such POST to the modern path, whatever the body: checked here against the SDK.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { isLegacyRequest } from "@modelcontextprotocol/server";
import { MODERN_VERSION } from "../../src/health/mcp-protocol.js";

const envelope = { "io.modelcontextprotocol/protocolVersion": MODERN_VERSION, "io.modelcontextprotocol/clientInfo": { name: "t", version: "1" } };
const bodies: Array<[string, unknown]> = [
  ["a call with its envelope", { jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "x", _meta: envelope } }],
  ["a call without an envelope", { jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "x" } }],
  [
    "a 2025 initialize",
    {
      jsonrpc: "2.0",
      id: 1,
      method: "initialize",
      params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "t", version: "1" } },
    },
  ],
  ["a notification", { jsonrpc: "2.0", method: "notifications/initialized" }],
  ["no JSON-RPC at all but a method", { method: "tools/list" }],
];

test("the SDK classifies every POSTed request or notification with a 2026-07-28 MCP-Protocol-Version header as modern", async () => {
  for (const [what, body] of bodies) {
    const request = new Request("http://127.0.0.1/mcp/acme", {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json, text/event-stream", "mcp-protocol-version": MODERN_VERSION },
      body: JSON.stringify(body),
    });
    assert.equal(await isLegacyRequest(request, body), false, what);
  }
});

test("without that header the same 2025 bodies are legacy (the check above can fail)", async () => {
  const body = bodies[2]![1];
  const request = new Request("http://127.0.0.1/mcp/acme", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  assert.equal(await isLegacyRequest(request, body), true);
});
