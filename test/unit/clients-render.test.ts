/**
 * renderClientConfig on a real plan (the fixture catalog: alpha is Streamable HTTP with a secret,
 * beta is SSE): each format parses and has its client's documented shape; names are sorted, stable
 * and valid; 0.0.0.0 becomes 127.0.0.1; nothing but names and URLs reaches a file.
 */
import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { parse } from "yaml";
import { CLIENT_FORMATS, parseClientFormat } from "../../src/clients/client-format.js";
import { clientConfigForPlan } from "../../src/clients/export-plan.js";
import { renderClientConfig } from "../../src/clients/render-client-config.js";
import { loadPlan } from "../../src/commands/load-plan.js";
import { UsageError } from "../../src/errors.js";
import type { Plan, ServicePlan } from "../../src/plan/types.js";
import { fixtureCustomer, workspace } from "../support/workspace.js";

/** The plan of Acme and Globex (alpha + beta each), optionally bound to another address. */
async function fixturePlan(defaults: Record<string, unknown> = {}): Promise<Plan> {
  const dir = workspace({ defaults, customers: [fixtureCustomer("Globex"), fixtureCustomer("Acme")] });
  try {
    return (await loadPlan({ config: path.join(dir, "mcp_servers.json"), catalog: path.join(dir, "mcps") })).plan;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
const fixtureServices = async (defaults: Record<string, unknown> = {}) => (await fixturePlan(defaults)).services;

const json = (services: readonly ServicePlan[], format: "vscode" | "cursor" | "claude-desktop") =>
  JSON.parse(renderClientConfig(format, services).text);
const urlOf = (services: ServicePlan[], customerId: string, type: string) =>
  services.find((s) => s.customerId === customerId && s.type === type)!.url;
const NAMES = ["acme-alpha", "acme-beta", "globex-alpha", "globex-beta"];

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

test("names are stable: any order of services gives the same bytes; each name is valid in every client", async () => {
  const services = await fixtureServices();
  for (const f of CLIENT_FORMATS) {
    const once = renderClientConfig(f, services).text;
    assert.equal(renderClientConfig(f, [...services].reverse()).text, once, f);
    assert.equal(renderClientConfig(f, [services[2]!, services[0]!, services[3]!, services[1]!]).text, once, f);
  }
  // Claude's tool-name rule (^[a-zA-Z0-9_-]{1,64}$) and VS Code's "no whitespace or special characters".
  for (const name of Object.keys(json(services, "vscode").servers)) assert.match(name, /^[a-z0-9][a-z0-9-]*[a-z0-9]$/);
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

test("no secret, variable name or variable reference reaches any export", async () => {
  const services = await fixtureServices();
  // The plan itself holds only the variable's name; give it a value too, as a hostile plan would.
  const loaded = services.map((s) => ({
    ...s,
    env: [...s.env, { name: "LEAK_VALUE", value: "glsa_S3cretValueThatMustNotLeak_1234" }],
    labels: { ...s.labels, "x.secret": "another-secret-in-a-label" },
  }));
  const secretish = [
    "glsa_S3cretValueThatMustNotLeak_1234",
    "another-secret-in-a-label",
    "LEAK_VALUE",
    ...services.flatMap((s) => s.env.map((e) => ("fromVar" in e ? e.fromVar : e.value))),
    ...services.flatMap((s) => s.env.map((e) => e.name)),
  ];
  assert.ok(secretish.includes("ALPHA_TOKEN_ACME"), "the fixture carries a secret reference");
  for (const f of CLIENT_FORMATS) {
    const text = renderClientConfig(f, loaded).text;
    for (const s of secretish) assert.ok(!text.includes(s), `${f} leaks ${s}`);
    // VS Code ${input:..}/${env:..}, Cursor ${env:..}, LibreChat ${VAR} and {{..}} would all be substituted.
    assert.doesNotMatch(text, /\$\{|\{\{/, f);
  }
});

test("a URL a client would read as holding a variable is refused, not exported", async () => {
  const [s] = await fixtureServices();
  for (const url of ["http://127.0.0.1:1/mcp/${HOME}", "http://user:pw@127.0.0.1:1/mcp", "http://127.0.0.1:1/mcp?x=1", "https://x.example/mcp"]) {
    assert.throws(() => renderClientConfig("vscode", [{ ...s!, url }]), UsageError, url);
  }
});

test("hostile customer ids cannot break the JSON or YAML", async () => {
  const [s] = await fixtureServices();
  const hostile = ['a"b', "a\nb: c", "a: b", "# x", "__proto__", "a b", "ÄCME", "x}{", "a/../b", ""];
  for (const customerId of hostile) {
    for (const f of CLIENT_FORMATS) {
      assert.throws(
        () => renderClientConfig(f, [{ ...s!, customerId }]),
        (e: unknown) => e instanceof UsageError && !e.message.includes("\n"),
        `${JSON.stringify(customerId)} ${f}`,
      );
    }
  }
  // Valid ids that a YAML 1.1 reader (LibreChat's js-yaml) would take for a date, a boolean, null or a number.
  const tricky = [
    { ...s!, customerId: "2024-01", type: "01" },
    { ...s!, customerId: "yes", type: "no" },
    { ...s!, customerId: "null", type: "on" },
    { ...s!, customerId: "0x1f", type: "1e3" },
  ].map((x) => ({ ...x, name: `mcp-${x.type}-${x.customerId}` }));
  const names = ["0x1f-1e3", "2024-01-01", "null-on", "yes-no"];
  for (const version of ["1.1", "1.2"] as const) {
    const doc = parse(renderClientConfig("librechat", tricky).text, { version });
    assert.deepEqual(Object.keys(doc.mcpServers), names, version);
    for (const v of Object.values(doc.mcpServers) as Array<{ type: unknown; url: unknown }>) {
      assert.equal(typeof v.type, "string");
      assert.equal(typeof v.url, "string");
    }
  }
  for (const f of ["vscode", "cursor", "claude-desktop"] as const) {
    const doc = json(tricky, f);
    assert.deepEqual(Object.keys(doc.servers ?? doc.mcpServers), names, f);
  }
});

test("two services that would share a client name are an error naming both", async () => {
  const [s] = await fixtureServices();
  const a = { ...s!, customerId: "a-b", type: "c", name: "mcp-c-a-b" };
  const b = { ...s!, customerId: "a", type: "b-c", name: "mcp-b-c-a" };
  assert.throws(
    () => renderClientConfig("cursor", [a, b]),
    /client server name "a-b-c" is shared by type b-c of customer "a" and type c of customer "a-b"/,
  );
});

test("no services: an empty but valid file", () => {
  assert.deepEqual(JSON.parse(renderClientConfig("vscode", []).text), { servers: {} });
  assert.deepEqual(JSON.parse(renderClientConfig("cursor", []).text), { mcpServers: {} });
  assert.deepEqual(parse(renderClientConfig("librechat", []).text), { mcpServers: {} });
});

test("parseClientFormat: the four formats; anything else, or nothing, is one line of bad input", () => {
  for (const f of CLIENT_FORMATS) assert.equal(parseClientFormat(f), f);
  assert.throws(() => parseClientFormat("claude"), /unknown client format "claude"; expected one of: claude-desktop, vscode, cursor, librechat/);
  assert.throws(() => parseClientFormat(undefined), UsageError);
  // A pasted token is described, never echoed.
  assert.throws(
    () => parseClientFormat("glsa_S3cretValueThatMustNotLeak_1234"),
    (e: unknown) => e instanceof UsageError && !e.message.includes("S3cret"),
  );
});

test("clientConfigForPlan (shared by the CLI and the API): customers by id or name; none is all; unknown is bad input", async () => {
  const plan = await fixturePlan();
  const names = (customers: string[]) => Object.keys(JSON.parse(clientConfigForPlan(plan, "cursor", customers).text).mcpServers);
  assert.deepEqual(names([]), NAMES);
  assert.deepEqual(names(["Acme"]), ["acme-alpha", "acme-beta"]);
  assert.deepEqual(names(["globex", "Acme"]), NAMES);
  const one = clientConfigForPlan(plan, "vscode", ["globex"]);
  assert.deepEqual([one.servers, one.customers, one.fileName], [2, 1, "mcp.json"]);
  assert.throws(() => clientConfigForPlan(plan, "vscode", ["initech"]), /unknown customer "initech"/);
  assert.throws(() => clientConfigForPlan(plan, "zed", []), /unknown client format "zed"/);
});
