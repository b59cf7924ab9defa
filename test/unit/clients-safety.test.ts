/**
 * What must never vary or leak: names sorted, stable and valid in every client; nothing but names and
 * URLs in a file (no secret, no variable reference); hostile ids refused; the shared entry point.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { parse } from "yaml";
import { CLIENT_FORMATS, parseClientFormat } from "../../src/clients/client-format.js";
import { clientConfigForPlan } from "../../src/clients/export-plan.js";
import { renderClientConfig } from "../../src/clients/render-client-config.js";
import { UsageError } from "../../src/errors.js";
import { fixturePlan, fixtureServices, json, NAMES } from "../support/clients-fixture.js";

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
