/**
 * The gateway's audit log and call metrics over time: SIGHUP reopens the audit log as logrotate
 * needs it, and the metrics' tool label stays bounded however many tools a server has.
 */
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { fleet } from "../support/gateway-fleet.js";
import { modernClient, textOf, toolBackend } from "../support/gateway-kit.js";
import { call, until } from "../support/serve.js";

type Family = { name: string; metrics: Array<{ value?: string; labels?: Record<string, string> }> };
const parseMetrics = createRequire(import.meta.url)("parse-prometheus-text-format") as (text: string) => Family[];

const lines = (file: string) => (existsSync(file) ? readFileSync(file, "utf8").split("\n").filter(Boolean) : []);

test("SIGHUP reopens the audit log: after logrotate moves the file, the next call is written to a new file at the original path", async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "mcps-audit-rotate-"));
  const file = path.join(dir, "audit.log");
  try {
    await using f = await fleet({ auditLog: file });
    const client = await modernClient(f.url("acme"));
    try {
      assert.equal(textOf(await client.callTool({ name: "north_get", arguments: { text: "one" } })), "north:get:one");
      await until(() => lines(file).length === 1, 5000, "the first audit line");
      // What logrotate does: move the file away, then tell the process.
      renameSync(file, `${file}.1`);
      process.emit("SIGHUP", "SIGHUP");
      await client.callTool({ name: "north_search", arguments: { text: "two" } });
      await until(() => lines(file).length === 1, 5000, "a new audit file at the original path");
    } finally {
      await client.close();
    }
    assert.deepEqual(
      lines(`${file}.1`).map((l) => JSON.parse(l).tool),
      ["get"],
      "the rotated file holds only what was written before the reopen",
    );
    assert.equal(JSON.parse(lines(file)[0]!).tool, "search");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the tool label is bounded: past 64 names for one customer and type every further tool counts as tool="other"', async () => {
  const names = Array.from({ length: 70 }, (_, i) => `t${String(i).padStart(2, "0")}`);
  const north = await toolBackend("north", names, true);
  await using f = await fleet({ north });
  const client = await modernClient(f.url("acme"));
  try {
    assert.equal((await client.listTools()).tools.filter((t) => t.name.startsWith("north_")).length, 70);
    for (const n of names) assert.equal(textOf(await client.callTool({ name: `north_${n}`, arguments: { text: "x" } })), `north:${n}:x`);
    // Called again: a name already labelled keeps its own series.
    await client.callTool({ name: "north_t00", arguments: { text: "x" } });
    await client.callTool({ name: "south_search", arguments: { text: "x" } });
  } finally {
    await client.close();
  }
  const calls = parseMetrics((await call(f.s.base, "/metrics")).text).find((x) => x.name === "mcps_tool_calls_total")!;
  const north_ = calls.metrics.filter((m) => m.labels?.customer === "acme" && m.labels?.type === "north");
  const tools = north_.map((m) => m.labels?.tool);
  assert.equal(new Set(tools).size, 65, "64 names and other");
  assert.deepEqual(tools.filter((t) => t !== "other").sort(), names.slice(0, 64));
  const value = (tool: string) => north_.find((m) => m.labels?.tool === tool)?.value;
  assert.equal(value("other"), "6", "the 6 calls past the bound");
  assert.equal(value("t00"), "2");
  assert.equal(calls.metrics.find((m) => m.labels?.type === "south")?.labels?.tool, "search", "another type has a bound of its own");
});
