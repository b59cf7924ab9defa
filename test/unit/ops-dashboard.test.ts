/**
 * ops/grafana/mcps.json is what ops/grafana/dashboard.ts builds (regenerate with `npm run dashboard`),
 * every panel query is PromQL that Prometheus parses (promtool check rules, as recording rules), and
 * the panels read only metrics serve exports and cover all of them.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { stringify } from "yaml";
import { dashboardJson } from "../../ops/grafana/dashboard-json.js";
import { ROOT } from "../support/cli.js";
import { requireTool, toolRuns } from "../support/host-tool.js";
import { exportedMetrics, metricsIn } from "../support/ops-metrics.js";

const FILE = path.join(ROOT, "ops/grafana/mcps.json");

interface Panel {
  type: string;
  title?: string;
  datasource?: { uid?: string };
  targets?: Array<{ expr?: string; datasource?: { uid?: string } }>;
}
const committed = JSON.parse(readFileSync(FILE, "utf8")) as { panels: Panel[] };
const panels = committed.panels.filter((p) => p.type !== "row");
const exprs = panels.flatMap((p) => (p.targets ?? []).map((t) => ({ panel: p.title ?? "", expr: t.expr ?? "" })));

/** What Grafana substitutes before Prometheus sees a query: the pickers' All, the rate window. */
const asSent = (expr: string) => expr.replaceAll("$__rate_interval", "1m").replaceAll("$customer", ".*").replaceAll("$type", ".*");

test("ops/grafana/mcps.json is current (regenerate with: npm run dashboard)", () => {
  assert.equal(readFileSync(FILE, "utf8"), dashboardJson());
});

test("every panel has a query on the dashboard's Prometheus variable", () => {
  assert.ok(panels.length >= 10);
  for (const p of panels) {
    assert.ok((p.targets ?? []).length > 0, `${p.title}: no query`);
    assert.equal(p.datasource?.uid, "${datasource}", `${p.title}: datasource`);
    for (const t of p.targets ?? []) assert.ok(t.expr && t.datasource?.uid === "${datasource}", `${p.title}: query without expr or datasource`);
  }
});

test("the panels read only exported metrics, and every exported metric has a panel", () => {
  const exported = exportedMetrics();
  assert.ok(exported.size >= 8, `read ${[...exported].join(", ")} from src`);
  const used = new Set(exprs.flatMap(({ expr }) => metricsIn(expr, exported)));
  assert.deepEqual(
    [...used].filter((m) => !exported.has(m)),
    [],
  );
  assert.deepEqual(
    [...exported].filter((m) => !used.has(m)),
    [],
  );
});

test("every panel query parses as PromQL (promtool check rules)", (t) => {
  if (!requireTool(t, toolRuns("promtool", ["--version"]), "promtool", "apt-get install prometheus")) return;
  const dir = mkdtempSync(path.join(os.tmpdir(), "mcps-dashboard-"));
  try {
    const rules = exprs.map(({ expr }, i) => ({ record: `mcps_dashboard:panel_${i}`, expr: asSent(expr) }));
    writeFileSync(path.join(dir, "panels.yml"), stringify({ groups: [{ name: "dashboard", rules }] }));
    const r = spawnSync("promtool", ["check", "rules", "panels.yml"], { cwd: dir, encoding: "utf8", timeout: 60_000 });
    assert.equal(r.status, 0, `${r.stdout}${r.stderr}`);
    assert.match(r.stdout, new RegExp(`SUCCESS: ${exprs.length} rules found`));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
