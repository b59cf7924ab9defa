/**
 * The metric names serve really exports, read from the source that registers them, and the ones a
 * PromQL expression uses: so a rule or a panel can never rest on a metric nobody exports.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { ROOT } from "./cli.js";

const SOURCES = ["src/serve/metrics.ts", "src/gateway/gateway-metrics.ts"];

export function exportedMetrics(): Set<string> {
  const names = new Set<string>();
  for (const f of SOURCES) {
    for (const m of readFileSync(path.join(ROOT, f), "utf8").matchAll(/name: "(mcps_[a-z_]+)"/g)) names.add(m[1] as string);
  }
  return names;
}

/** mcps_* names in an expression, a histogram's _bucket/_count/_sum series counted as the histogram. */
export function metricsIn(expr: string, exported: Set<string>): string[] {
  return [...expr.matchAll(/\bmcps_[a-z_]+/g)].map(([name]) => {
    const base = name.replace(/_(bucket|count|sum)$/, "");
    return exported.has(base) ? base : name;
  });
}
