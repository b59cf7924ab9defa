/**
 * renderClientConfig on a real plan: each format parses and has its client's documented shape, with
 * the transport's own entry for SSE; 0.0.0.0 becomes 127.0.0.1; allowedAddresses holds private hosts only.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { parse } from "yaml";
import { CLIENT_FORMATS } from "../../src/clients/client-format.js";
import { renderClientConfig } from "../../src/clients/render-client-config.js";
import { fixtureServices, json, NAMES, urlOf } from "../support/clients-fixture.js";

test("VS Code: servers.<name> = { type: http | sse, url }", async () => {
  const services = await fixtureServices();
  const doc = json(services, "vscode");
  assert.deepEqual(Object.keys(doc), ["servers"]);
  assert.deepEqual(Object.keys(doc.servers), NAMES);
  assert.deepEqual(doc.servers["acme-alpha"], { type: "http", url: urlOf(services, "acme", "alpha") });
  assert.deepEqual(doc.servers["globex-beta"], { type: "sse", url: urlOf(services, "globex", "beta") });
  assert.match(doc.servers["acme-alpha"].url, /^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
  assert.match(doc.servers["acme-beta"].url, /^http:\/\/127\.0\.0\.1:\d+\/sse$/);
});

test("Cursor: mcpServers.<name> = { url } for both transports", async () => {
  const services = await fixtureServices();
  const doc = json(services, "cursor");
  assert.deepEqual(Object.keys(doc), ["mcpServers"]);
  assert.deepEqual(Object.keys(doc.mcpServers), NAMES);
  for (const s of services) assert.deepEqual(doc.mcpServers[`${s.customerId}-${s.type}`], { url: s.url });
});

test("Claude Desktop: npx mcp-remote <url> with the transport pinned: http-only, or sse-only for SSE", async () => {
  const services = await fixtureServices();
  const doc = json(services, "claude-desktop");
  assert.deepEqual(Object.keys(doc), ["mcpServers"]);
  assert.deepEqual(doc.mcpServers["acme-alpha"], {
    command: "npx",
    args: ["mcp-remote", urlOf(services, "acme", "alpha"), "--transport", "http-only"],
  });
  assert.deepEqual(doc.mcpServers["acme-beta"], {
    command: "npx",
    args: ["mcp-remote", urlOf(services, "acme", "beta"), "--transport", "sse-only"],
  });
});

test("LibreChat: mcpServers with type streamable-http | sse, allowedAddresses, the Docker note", async () => {
  const services = await fixtureServices();
  const r = renderClientConfig("librechat", services);
  const doc = parse(r.text);
  assert.deepEqual(Object.keys(doc), ["mcpSettings", "mcpServers"]);
  assert.deepEqual(Object.keys(doc.mcpServers), NAMES);
  assert.deepEqual(doc.mcpServers["acme-alpha"], { type: "streamable-http", url: urlOf(services, "acme", "alpha"), requiresOAuth: false });
  assert.deepEqual(doc.mcpServers["acme-beta"], { type: "sse", url: urlOf(services, "acme", "beta"), requiresOAuth: false });
  const expected = services.map((s) => new URL(s.url).host).sort();
  assert.deepEqual(doc.mcpSettings.allowedAddresses, expected);
  for (const a of doc.mcpSettings.allowedAddresses) assert.match(a, /^127\.0\.0\.1:\d+$/, "host:port, port required");
  assert.match(r.text, /^# .*host\.docker\.internal/m);
  assert.doesNotMatch(r.text, /0\.0\.0\.0/, "no rewrite note when nothing was bound to 0.0.0.0");
});

test("file names and media types", async () => {
  const services = await fixtureServices();
  const got = CLIENT_FORMATS.map((f) => {
    const { fileName, mediaType } = renderClientConfig(f, services);
    return [f, fileName, mediaType];
  });
  assert.deepEqual(got, [
    ["claude-desktop", "claude_desktop_config.json", "application/json"],
    ["vscode", "mcp.json", "application/json"],
    ["cursor", "mcp.json", "application/json"],
    ["librechat", "librechat.yaml", "application/yaml"],
  ]);
});

test("a service bound to 0.0.0.0 is exported at 127.0.0.1, and LibreChat's file says why", async () => {
  const services = await fixtureServices({ bind_address: "0.0.0.0", expose: true });
  assert.match(services[0]!.url, /^http:\/\/0\.0\.0\.0:/);
  for (const f of CLIENT_FORMATS) {
    const text = renderClientConfig(f, services).text;
    const urls = text.match(/http:\/\/[^"\s]+/g) ?? [];
    assert.equal(urls.length >= services.length, true, f);
    for (const u of urls) assert.match(u, /^http:\/\/127\.0\.0\.1:\d+\/(mcp|sse)$/, f);
  }
  const port = new URL(services[0]!.url).port;
  assert.ok(parse(renderClientConfig("librechat", services).text).mcpSettings.allowedAddresses.includes(`127.0.0.1:${port}`));
  assert.match(renderClientConfig("librechat", services).text, /^# .*0\.0\.0\.0 .*not an address to connect to/m);
});

test("a non-loopback bind: mcp-remote gets --allow-http; LibreChat lists private hosts only", async () => {
  const priv = await fixtureServices({ bind_address: "10.1.2.3" });
  const claude = json(priv, "claude-desktop");
  assert.deepEqual(claude.mcpServers["acme-alpha"].args.slice(2), ["--transport", "http-only", "--allow-http"]);
  assert.deepEqual(parse(renderClientConfig("librechat", priv).text).mcpSettings.allowedAddresses, priv.map((s) => new URL(s.url).host).sort());
  // A public address is not blocked by LibreChat, and a public entry in allowedAddresses fails its config load.
  const pub = await fixtureServices({ bind_address: "203.0.113.7" });
  const doc = parse(renderClientConfig("librechat", pub).text);
  assert.equal(doc.mcpSettings, undefined);
  assert.equal(Object.keys(doc.mcpServers).length, 4);
});

test("no services: an empty but valid file", () => {
  assert.deepEqual(JSON.parse(renderClientConfig("vscode", []).text), { servers: {} });
  assert.deepEqual(JSON.parse(renderClientConfig("cursor", []).text), { mcpServers: {} });
  assert.deepEqual(parse(renderClientConfig("librechat", []).text), { mcpServers: {} });
});
