/**
 * Debian's Prometheus and Alertmanager for one test: each on a free 127.0.0.1 port with its data in
 * the test's temp folder (Alertmanager's cluster port off, so nothing listens beyond loopback), ready
 * when its /-/ready says so, stopped by the test. Also the rules with the test's short durations.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { stringify } from "yaml";
import { ROOT } from "./cli.js";
import { freePort } from "./ports.js";
import { call, until } from "./serve.js";
import { stopChild } from "./stop-child.js";

export const PROMETHEUS = "/usr/bin/prometheus";
export const ALERTMANAGER = "/usr/bin/prometheus-alertmanager";

export interface Daemon {
  base: string;
  child: ChildProcess;
  log(): string;
  stop(): Promise<void>;
}

async function startDaemon(bin: string, args: string[], port: number): Promise<Daemon> {
  const child = spawn(bin, args, { stdio: ["ignore", "pipe", "pipe"] });
  let log = "";
  child.stdout!.on("data", (d) => (log += d));
  child.stderr!.on("data", (d) => (log += d));
  const base = `http://127.0.0.1:${port}`;
  const stop = async () => void (await stopChild(child));
  try {
    await until(
      async () => {
        if (child.exitCode !== null) throw new Error(`${path.basename(bin)} exited with ${child.exitCode}:\n${log}`);
        return (await call(base, "/-/ready", { timeoutMs: 2_000 }).catch(() => ({ status: 0 }))).status === 200;
      },
      30_000,
      `${path.basename(bin)} ready on ${base}`,
    );
  } catch (e) {
    await stop();
    throw e;
  }
  return { base, child, log: () => log, stop };
}

export async function startAlertmanager(dir: string): Promise<Daemon> {
  const port = await freePort();
  const config = path.join(dir, "alertmanager.yml");
  // No receiver sends anything: the test reads what arrived through the API.
  writeFileSync(config, stringify({ route: { receiver: "none", group_wait: "1s", group_interval: "1s" }, receivers: [{ name: "none" }] }));
  mkdirSync(path.join(dir, "am-data"));
  const args = [
    `--config.file=${config}`,
    `--storage.path=${path.join(dir, "am-data")}`,
    `--web.listen-address=127.0.0.1:${port}`,
    "--cluster.listen-address=",
  ];
  return startDaemon(ALERTMANAGER, args, port);
}

/** Scrapes `target` as job mcps every second, evaluates `rules` every second, alerts to `alertmanager`. */
export async function startPrometheus(dir: string, target: string, alertmanager: string, rules: string): Promise<Daemon> {
  const port = await freePort();
  writeFileSync(path.join(dir, "mcps.rules.yml"), rules);
  const config = {
    global: { scrape_interval: "1s", evaluation_interval: "1s" },
    rule_files: [path.join(dir, "mcps.rules.yml")],
    alerting: { alertmanagers: [{ static_configs: [{ targets: [new URL(alertmanager).host] }] }] },
    scrape_configs: [{ job_name: "mcps", static_configs: [{ targets: [target] }] }],
  };
  writeFileSync(path.join(dir, "prometheus.yml"), stringify(config));
  mkdirSync(path.join(dir, "prom-data"));
  const args = [
    `--config.file=${path.join(dir, "prometheus.yml")}`,
    `--storage.tsdb.path=${path.join(dir, "prom-data")}`,
    `--web.listen-address=127.0.0.1:${port}`,
    "--rules.alert.resend-delay=1s",
  ];
  return startDaemon(PROMETHEUS, args, port);
}

/** The shipped rules with every `for` at 2 s and every range at 30 s, so a test sees alerts come and go. */
export function shortenedRules(): string {
  const rules = readFileSync(path.join(ROOT, "ops/prometheus/mcps.rules.yml"), "utf8");
  const short = rules.replace(/for: \d+m/g, "for: 2s").replace(/\[\d+m\]/g, "[30s]");
  if (short === rules || /for: \d+m|\[\d+m\]/.test(short)) throw new Error("the rules' durations are no longer `for: Nm` and `[Nm]`");
  return short;
}

export type Sample = { metric: Record<string, string>; value: [number, string] };

export async function instantQuery(prometheus: string, expr: string): Promise<Sample[]> {
  const r = await call(prometheus, `/api/v1/query?query=${encodeURIComponent(expr)}`, { timeoutMs: 10_000 });
  const body = r.json() as { status: string; error?: string; data?: { resultType: string; result: Sample[] } };
  if (body.status !== "success") throw new Error(`${expr}: ${body.error}`);
  if (body.data?.resultType !== "vector") throw new Error(`${expr}: a ${body.data?.resultType}, not a vector`);
  return body.data.result;
}

export type ActiveAlert = { labels: Record<string, string>; status: { state: string } };

/** Alertmanager's active alerts (a resolved alert leaves this list). */
export async function activeAlerts(alertmanager: string): Promise<ActiveAlert[]> {
  return (await call(alertmanager, "/api/v2/alerts?active=true", { timeoutMs: 10_000 })).json() as ActiveAlert[];
}
