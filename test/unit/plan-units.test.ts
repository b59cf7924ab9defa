/**
 * The plan holds what shapes a container in neutral units: durations in milliseconds (parsed once,
 * from the manifest), the probe as data; compose gets compose text back from one formatter, and the
 * config hash moves with every part of it.
 */
import assert from "node:assert/strict";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { parse } from "yaml";
import { loadPlan } from "../../src/load/load-plan.js";
import { durationMs, formatDuration } from "../../src/config/duration.js";
import { runCli } from "../support/cli.js";
import { fixtureCustomer, workspace } from "../support/workspace.js";

test("formatDuration writes the shortest compose text that durationMs reads back", () => {
  const cases: Array<[number, string]> = [
    [0, "0s"],
    [500, "500ms"],
    [5000, "5s"],
    [90_000, "1m30s"],
    [3_600_000, "1h"],
    [3_723_004, "1h2m3s4ms"],
  ];
  for (const [ms, text] of cases) {
    assert.equal(formatDuration(ms), text);
    assert.equal(durationMs(text), ms);
  }
  assert.equal(durationMs("90s"), 90_000);
  assert.throws(() => formatDuration(-1), RangeError);
  assert.throws(() => formatDuration(1.5), RangeError);
});

/** A workspace whose alpha type has this health check block in its manifest. */
function withHealthcheck(block: string): string {
  const dir = workspace({ customers: [fixtureCustomer("Acme")] });
  const manifest = path.join(dir, "mcps/alpha/mcp.yaml");
  writeFileSync(manifest, `${readFileSync(manifest, "utf8").replace(/^healthcheck:[\s\S]*?(?=^\S|$(?![\s\S]))/m, "")}\n${block}\n`);
  return dir;
}

const planOf = async (dir: string) => (await loadPlan({ config: path.join(dir, "mcp_servers.json"), catalog: path.join(dir, "mcps") })).plan;

test("manifest durations reach the plan in ms and the compose file as compose text", async () => {
  const dir = withHealthcheck("healthcheck:\n  interval: 90s\n  timeout: 500ms\n  retries: 2\n  start_period: 0s\n  trust_for: 2m");
  try {
    const alpha = (await planOf(dir)).services.find((s) => s.type === "alpha")!;
    const { probe, ...timing } = alpha.healthcheck;
    assert.deepEqual(timing, { intervalMs: 90_000, timeoutMs: 500, retries: 2, startPeriodMs: 0 });
    assert.deepEqual(probe, { port: 8000, path: "/mcp", transport: "streamable-http", budgetMs: 250, trustForMs: 120_000 });
    assert.equal((await runCli(["generate"], { cwd: dir })).code, 0);
    const hc = parse(readFileSync(path.join(dir, "docker-compose.mcps.yml"), "utf8"), { maxAliasCount: -1 }).services[alpha.name].healthcheck;
    assert.deepEqual([hc.interval, hc.timeout, hc.retries, hc.start_period], ["1m30s", "500ms", 2, "0s"]);
    assert.deepEqual(hc.test.slice(-2), ["250", "120000"]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("the config hash moves with the probe's data (trust_for reaches only the check's arguments)", async () => {
  const a = withHealthcheck("healthcheck:\n  trust_for: 60s");
  const b = withHealthcheck("healthcheck:\n  trust_for: 30s");
  try {
    const [pa, pb] = [await planOf(a), await planOf(b)];
    const hash = (p: typeof pa, type: string) => p.services.find((s) => s.type === type)!.hash;
    assert.notEqual(hash(pa, "alpha"), hash(pb, "alpha"));
    assert.equal(hash(pa, "beta"), hash(pb, "beta"), "another type's services keep their hash");
  } finally {
    rmSync(a, { recursive: true, force: true });
    rmSync(b, { recursive: true, force: true });
  }
});
