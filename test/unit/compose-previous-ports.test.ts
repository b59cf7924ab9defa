/** Ports are read back from the previous file in every format mcps has written, and from hand-edited ones. */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { previousPorts } from "../../src/compose/previous-ports.js";
import { ROOT } from "../support/cli.js";

const OLD = readFileSync(path.join(ROOT, "test/fixtures/previous/anchored.compose.yml"), "utf8");
const NAMES = [
  "mcp-alertmanager-segurcaixa",
  "mcp-alertmanager-vattenfall-de",
  "mcp-genesys-vattenfall-de",
  "mcp-grafana-segurcaixa",
  "mcp-grafana-vattenfall-de",
];

test("the old anchored format (aliases, a probe anchor before services:)", () => {
  const ports = Object.fromEntries(previousPorts(OLD));
  assert.deepEqual(Object.keys(ports).sort(), NAMES);
  assert.equal(ports["mcp-alertmanager-segurcaixa"], 25696);
  assert.equal(ports["mcp-alertmanager-vattenfall-de"], 25298);
});

test("the current inline format: the committed file", () => {
  const text = readFileSync(path.join(ROOT, "docker-compose.mcps.yml"), "utf8");
  const ports = previousPorts(text);
  assert.equal(ports.size, 5);
  for (const [name, port] of ports) assert.match(text, new RegExp(`- "127\\.0\\.0\\.1:${port}:\\d+"`), name);
});

test("both formats agree with a full YAML parse", async () => {
  const { parse } = await import("yaml");
  for (const text of [OLD, readFileSync(path.join(ROOT, "docker-compose.mcps.yml"), "utf8")]) {
    const doc = parse(text, { maxAliasCount: -1, merge: true }) as { services: Record<string, { ports: string[] }> };
    const parsed = Object.fromEntries(Object.entries(doc.services).map(([n, s]) => [n, Number(s.ports[0]!.split(":")[1])]));
    assert.deepEqual(Object.fromEntries(previousPorts(text)), parsed);
  }
});

test("a hand-edited file in another layout falls back to a full parse", () => {
  const text = "services:\n    svc-a: {ports: ['127.0.0.1:20001:8000'], image: x}\n    svc-b:\n        ports:\n            - 20002:9000\n";
  assert.deepEqual(Object.fromEntries(previousPorts(text)), { "svc-a": 20001, "svc-b": 20002 });
});

test("nothing readable means no memory, not an error", () => {
  assert.equal(previousPorts(undefined).size, 0);
  assert.equal(previousPorts("services: [unclosed").size, 0);
});
