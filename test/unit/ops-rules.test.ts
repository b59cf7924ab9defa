/**
 * The alert rules in ops/prometheus/ pass Debian's promtool: `check rules` (syntax, templates) and
 * `test rules` (each alert fires on its case and stays quiet on the other). The rule tests are also
 * run against rules with a guard taken out, which must fail them: a test file that passes whatever
 * the rules say would prove nothing.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { type TestContext, test } from "node:test";
import { parse } from "yaml";
import { ROOT } from "../support/cli.js";
import { requireTool, toolRuns } from "../support/host-tool.js";
import { exportedMetrics, metricsIn } from "../support/ops-metrics.js";

const DIR = path.join(ROOT, "ops/prometheus");
const RULES = "mcps.rules.yml";
const TESTS = "mcps.rules.test.yml";
const INSTALL = "apt-get install prometheus";

const hasPromtool = (t: TestContext) => requireTool(t, toolRuns("promtool", ["--version"]), "promtool", INSTALL);

function promtool(args: string[], cwd: string): { code: number | null; out: string } {
  const r = spawnSync("promtool", args, { cwd, encoding: "utf8", timeout: 60_000 });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

interface RuleFile {
  groups: Array<{ rules: Array<{ alert: string; expr: string; annotations?: Record<string, string> }> }>;
}
interface RuleTests {
  rule_files: string[];
  tests: Array<{ alert_rule_test: Array<{ alertname: string; exp_alerts: Array<{ exp_labels: Record<string, string> }> }> }>;
}

const rules = parse(readFileSync(path.join(DIR, RULES), "utf8")) as RuleFile;
const alerts = rules.groups.flatMap((g) => g.rules);
const cases = (parse(readFileSync(path.join(DIR, TESTS), "utf8")) as RuleTests).tests.flatMap((t) => t.alert_rule_test);

test("promtool check rules: the rules are valid", (t) => {
  if (!hasPromtool(t)) return;
  const r = promtool(["check", "rules", RULES], DIR);
  assert.equal(r.code, 0, r.out);
  assert.match(r.out, new RegExp(`SUCCESS: ${alerts.length} rules found`));
});

test("promtool check config: the example scrape config is valid and loads the rules", (t) => {
  if (!hasPromtool(t)) return;
  const r = promtool(["check", "config", "scrape-config.example.yml"], DIR);
  assert.equal(r.code, 0, r.out);
  assert.match(r.out, /SUCCESS: 1 rule files found/);
});

test("promtool test rules: every case passes", (t) => {
  if (!hasPromtool(t)) return;
  const r = promtool(["test", "rules", TESTS], DIR);
  assert.equal(r.code, 0, r.out);
});

test("every alert has runbook text, a case that fires and a case that stays quiet; per-server alerts carry customer and type", () => {
  assert.ok(alerts.length >= 7);
  for (const a of alerts) {
    assert.ok((a.annotations?.runbook ?? "").length > 40, `${a.alert}: runbook annotation`);
    const mine = cases.filter((c) => c.alertname === a.alert);
    const firing = mine.flatMap((c) => c.exp_alerts);
    assert.ok(firing.length > 0, `${a.alert}: no case where it fires`);
    assert.ok(
      mine.some((c) => c.exp_alerts.length === 0),
      `${a.alert}: no case where it stays quiet`,
    );
    if (a.alert === "McpsServeAbsent") continue; // about serve itself, not one server
    for (const f of firing) assert.ok(f.exp_labels.customer && f.exp_labels.type, `${a.alert}: fires without customer and type`);
  }
});

test("the rules read only metrics serve exports", () => {
  const exported = exportedMetrics();
  const used = alerts.flatMap((a) => metricsIn(a.expr, exported));
  assert.ok(used.length >= alerts.length - 1, "the rules read no mcps_ metric");
  assert.deepEqual(
    used.filter((m) => !exported.has(m)),
    [],
  );
});

// Each guard is a quiet case's reason to stay quiet; without it, the quiet case must fire and fail.
const mutations: Array<[string, string, string]> = [
  [
    "McpsServerDown without the stopped/stale exception",
    'unless on (customer, type)\n          mcps_service_verdict{verdict=~"stopped|stale"} == 1',
    "",
  ],
  ["McpsServerNoTools without `up == 1`", "and on (customer, type)\n          mcps_service_up == 1", ""],
  ["McpsToolCallErrors counting the tools' own errors", 'outcome=~"error|unavailable"', 'outcome!="ok"'],
  ["McpsCrashLoop on any restart", "increase(mcps_container_restarts_total[15m]) >= 3", "increase(mcps_container_restarts_total[15m]) > 0"],
];

for (const [name, from, to] of mutations) {
  test(`promtool test rules fails for ${name}`, (t) => {
    if (!hasPromtool(t)) return;
    const source = readFileSync(path.join(DIR, RULES), "utf8");
    assert.ok(source.includes(from), `the rules no longer contain ${JSON.stringify(from)}: update this mutation`);
    const dir = mkdtempSync(path.join(os.tmpdir(), "mcps-rules-"));
    try {
      writeFileSync(path.join(dir, RULES), source.replace(from, to));
      copyFileSync(path.join(DIR, TESTS), path.join(dir, TESTS));
      assert.equal(promtool(["check", "rules", RULES], dir).code, 0, "the mutated rules must still be valid");
      const r = promtool(["test", "rules", TESTS], dir);
      assert.notEqual(r.code, 0, `the rule tests passed without the guard:\n${r.out}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}
