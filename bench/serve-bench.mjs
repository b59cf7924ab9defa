#!/usr/bin/env node
// mcps serve, measured on the real engine with real MCP servers (alertmanager and the drill's tiny):
// 1. Cold switch: a stopped customer -> POST /api/customers/switch answered with its tools, beside the
//    servers' own start-up: `docker start` of the same two containers -> first MCP answer of the slower,
//    probed every 20 ms from here. Median of RUNS each.
// 2. GET /api/status from a second process on loopback (bench/serve-load.mjs; bounded by COUNT requests
//    and SECONDS), beside the wall time of `mcps status` (a process, an engine query and probes) on the
//    same running fleet (CUSTOMERS x 2 services).
// Prints figures from one run; asserts nothing about time. Run: npm run bench:serve
// Needs: a running Docker engine and the local base image (test/support/make-base-image.sh).
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { freePort } from "./kit.mjs";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const CLI = path.join(ROOT, "dist/cli.js");
const RUNS = Number(process.env.RUNS ?? 3);
const CUSTOMERS = Number(process.env.CUSTOMERS ?? 5);
const COUNT = process.env.COUNT ?? "20000";
const SECONDS = process.env.SECONDS_MAX ?? "10";
const BASE = process.env.BASE_IMAGE ?? "mcps-test-base:bookworm";
const PROJECT = `mcpsbench-serve-${process.pid}`;

if (!existsSync(CLI)) execFileSync("npm", ["run", "build"], { cwd: ROOT, stdio: "inherit" });
execFileSync("bash", [path.join(ROOT, "test/support/make-base-image.sh"), BASE], { stdio: "inherit" });
const { probeMcp } = await import(path.join(ROOT, "dist/health/mcp-probe.js"));

const dir = mkdtempSync(path.join(os.tmpdir(), "mcps-bench-serve-"));
cpSync(path.join(ROOT, "mcps/alertmanager"), path.join(dir, "mcps/alertmanager"), { recursive: true });
cpSync(path.join(ROOT, "test/fixtures/drill-catalog/tiny"), path.join(dir, "mcps/tiny"), { recursive: true });
const customers = [];
for (let i = 0; i < CUSTOMERS; i++) {
  customers.push({
    id: `bench${i}`,
    name: `Bench ${i}`,
    mcp_servers: [
      { type: "alertmanager", port: await freePort(), config: { alertmanager_url: "http://127.0.0.1:1" } },
      { type: "tiny", port: await freePort(), config: { token_env: "BENCH_TOKEN" } },
    ],
  });
}
writeFileSync(path.join(dir, "mcp_servers.json"), JSON.stringify({ project: PROJECT, customers }));
writeFileSync(path.join(dir, "mcp_credentials.env"), "BENCH_TOKEN=bench-token\n");

const mcps = (...args) => {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: dir, encoding: "utf8" });
  if (r.status !== 0 && !(args[0] === "status" && r.status === 1)) throw new Error(`mcps ${args.join(" ")}: ${r.stderr}`);
  return (performance.now() - t0) / 1000;
};
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (s) => `${s.toFixed(2)} s`;
const { loadPlan } = await import(path.join(ROOT, "dist/load/load-plan.js"));
const { plan } = await loadPlan({ config: path.join(dir, "mcp_servers.json"), catalog: path.join(dir, "mcps") });
const first = plan.services.filter((s) => s.customerId === "bench0");

let serve;
try {
  mcps("start", "--all", "--build-arg", `BASE_IMAGE=${BASE}`);
  mcps("stop", "--all");
  const port = await freePort();
  serve = spawn(process.execPath, [CLI, "serve", "--listen", `127.0.0.1:${port}`], { cwd: dir, stdio: ["ignore", "ignore", "pipe"] });
  let log = "";
  serve.stderr.on("data", (c) => (log += c));
  while (!log.includes("listening on")) await new Promise((r) => setTimeout(r, 50));
  const base = `http://127.0.0.1:${port}`;
  const post = async (p, body) => {
    const res = await fetch(base + p, { method: "POST", headers: { "content-type": "application/json" }, body: body && JSON.stringify(body) });
    return res.json();
  };

  // 1. Cold switch beside the servers' own start-up.
  const switches = [];
  const own = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    const r = await post("/api/customers/switch", { customer: "bench0" });
    switches.push((performance.now() - t0) / 1000);
    if (!r.success || r.failed_mcps.length) throw new Error(`switch failed: ${JSON.stringify(r)}`);
    await post("/api/customers/bench0/stop");

    const t1 = performance.now();
    execFileSync("docker", ["start", ...first.map((s) => s.containerName)], { stdio: "ignore" });
    await Promise.all(
      first.map(async (s) => {
        while (!(await probeMcp(s.url, s.transport, { timeoutMs: 1000 })).ok) await new Promise((r) => setTimeout(r, 20));
      }),
    );
    own.push((performance.now() - t1) / 1000);
    execFileSync("docker", ["stop", ...first.map((s) => s.containerName)], { stdio: "ignore" });
  }

  // 2. Status: the whole fleet running, then serve's held view under load beside `mcps status`.
  for (const c of customers) await post(`/api/customers/${c.id}/start`);
  const status = await (await fetch(`${base}/api/status`)).json();
  const load = JSON.parse(
    execFileSync(process.execPath, [path.join(ROOT, "bench/serve-load.mjs"), `${base}/api/status`, COUNT, SECONDS, "16"], { encoding: "utf8" }),
  );
  const statusWall = median(Array.from({ length: RUNS }, () => mcps("status", "--json")));
  const statusNoProbe = median(Array.from({ length: RUNS }, () => mcps("status", "--json", "--no-probe")));

  const rows = [
    [
      "cold switch (stopped customer -> tools listed, 2 servers)",
      fmt(median(switches)),
      `servers' own start-up (docker start -> MCP answer): ${fmt(median(own))}`,
    ],
    [
      `GET /api/status, ${load.requests} requests from a 2nd process, 16 connections`,
      `${Math.round(load.rps)} req/s`,
      `p50 ${load.p50.toFixed(2)} ms, p99 ${load.p99.toFixed(2)} ms, max ${load.max.toFixed(1)} ms, ${load.failed} failed`,
    ],
    [`mcps status --json (${status.services.length} services, probes)`, fmt(statusWall), `--no-probe: ${fmt(statusNoProbe)}`],
  ];
  process.stdout.write(`mcps serve bench: ${CUSTOMERS} customers x 2 types (alertmanager, tiny), median of ${RUNS} runs, ${os.cpus().length} CPUs\n`);
  process.stdout.write(`  switch runs: ${switches.map(fmt).join(", ")}; own start-up runs: ${own.map(fmt).join(", ")}\n`);
  for (const [what, ours, peer] of rows) process.stdout.write(`  ${what.padEnd(66)} ${ours.padStart(12)}   ${peer}\n`);
} finally {
  serve?.kill("SIGTERM");
  spawnSync(process.execPath, [CLI, "down", "--timeout", "0"], { cwd: dir, stdio: "ignore" });
  const images = spawnSync("docker", ["images", "--format", "{{.Repository}}:{{.Tag}}", "--filter", `reference=mcps/${PROJECT}/*`], {
    encoding: "utf8",
  })
    .stdout.split("\n")
    .filter(Boolean);
  if (images.length) spawnSync("docker", ["rmi", "--no-prune", ...images], { stdio: "ignore" });
  rmSync(dir, { recursive: true, force: true });
}
