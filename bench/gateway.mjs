#!/usr/bin/env node
// The gateway, measured on the real engine with a real MCP server (the drill's strict 2026-07-28 SDK v2
// server), from this process while `mcps serve` runs as another one on loopback:
// 1. tools/call round trips through /mcp/<customer> beside the same calls straight to the server's
//    port, and beside the floor: the SDK v2 front alone answering from memory (sdk-front-floor.mjs),
//    at concurrency 1 and 16. The client is plain JSON-RPC over pooled keep-alive connections
//    (dist/health/mcp-request.js), the same on every path, so the client's cost stays small and equal.
//    p50, p99, calls/s, what the gateway adds, and serve's CPU per call (from /proc). Bounded by COUNT
//    calls and SECONDS per run.
// 2. The cold wake: a stopped customer -> the first tools/list answer through the gateway, beside the
//    server's own start-up (docker start -> first MCP answer).
// The server's CPU limit is raised to 2 here (the fixture's 0.5 caps the direct path near 400 calls/s),
// so the gateway, not the backend, is what is measured.
// Prints figures from one run; asserts nothing about time. Run: npm run bench:gateway
// Needs: a running Docker engine and the local base image (test/support/make-base-image.sh).
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { freePort } from "./kit.mjs";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const CLI = path.join(ROOT, "dist/cli.js");
const COUNT = Number(process.env.COUNT ?? 4000);
const SECONDS = Number(process.env.SECONDS_MAX ?? 10);
const RUNS = Number(process.env.RUNS ?? 3);
const BASE = process.env.BASE_IMAGE ?? "mcps-test-base:bookworm";
const PROJECT = `mcpsbench-gw-${process.pid}`;
const ID = "gwbench";

if (!existsSync(CLI)) execFileSync("npm", ["run", "build"], { cwd: ROOT, stdio: "inherit" });
execFileSync("bash", [path.join(ROOT, "test/support/make-base-image.sh"), BASE], { stdio: "inherit" });
const { probeMcp } = await import(path.join(ROOT, "dist/health/mcp-probe.js"));
const { mcpRequest } = await import(path.join(ROOT, "dist/health/mcp-request.js"));
const { pooledHttp } = await import(path.join(ROOT, "dist/health/pooled-http.js"));
const { MODERN_VERSION } = await import(path.join(ROOT, "dist/health/mcp-protocol.js"));

const dir = mkdtempSync(path.join(os.tmpdir(), "mcps-bench-gw-"));
cpSync(path.join(ROOT, "test/fixtures/drill-catalog/strict"), path.join(dir, "mcps/strict"), { recursive: true });
const manifest = path.join(dir, "mcps/strict/mcp.yaml");
writeFileSync(manifest, readFileSync(manifest, "utf8").replace(/cpus: [0-9.]+/, "cpus: 2"));
const serverPort = await freePort();
const config = { project: PROJECT, customers: [{ id: ID, name: "Gateway bench", mcp_servers: [{ type: "strict", port: serverPort, config: {} }] }] };
writeFileSync(path.join(dir, "mcp_servers.json"), JSON.stringify(config));
const container = `${PROJECT}-mcp-strict-${ID}`;
const direct = `http://127.0.0.1:${serverPort}/mcp`;

const mcps = (...args) => {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: dir, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`mcps ${args.join(" ")}: ${r.stderr}`);
};

const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))];

/** CPU time (ms) a process has used so far, from /proc (user + system, in clock ticks of 10 ms). */
const cpuMs = (pid) => {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
  return (Number(fields[11]) + Number(fields[12])) * 10;
};

/** COUNT calls (or SECONDS, whichever ends first) from `concurrency` slots of one plain JSON-RPC client. */
async function load(url, tool, concurrency, pid) {
  const http = pooledHttp({ connectionsPerServer: concurrency });
  const link = { url, protocolVersion: MODERN_VERSION, client: { name: "gateway-bench", version: "1.0.0" } };
  const times = [];
  let failed = 0;
  let left = COUNT;
  let id = 0;
  const deadline = performance.now() + SECONDS * 1000;
  const cpu0 = pid ? cpuMs(pid) : 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async (_, i) => {
      while (left > 0 && performance.now() < deadline) {
        left--;
        const t = performance.now();
        const answer = await mcpRequest(http, link, ++id, "tools/call", { name: tool, arguments: { text: `bench ${i}` } }).catch(() => undefined);
        if (answer?.result?.content?.[0]?.text === `bench ${i}`) times.push(performance.now() - t);
        else failed++;
      }
    }),
  );
  const wall = (performance.now() - t0) / 1000;
  const cpu = pid ? cpuMs(pid) - cpu0 : undefined;
  await http.close();
  times.sort((a, b) => a - b);
  return {
    calls: times.length,
    failed,
    p50: pct(times, 50),
    p99: pct(times, 99),
    cps: times.length / wall,
    cpuPerCall: cpu === undefined ? undefined : cpu / (times.length + failed),
  };
}

/** The SDK v2 front alone, in its own process; resolves with its URL. */
async function floorServer() {
  const child = spawn(process.execPath, [path.join(ROOT, "bench/sdk-front-floor.mjs")], { cwd: ROOT, stdio: ["ignore", "pipe", "inherit"] });
  const port = await new Promise((resolve, reject) => {
    child.stdout.once("data", (c) => resolve(Number(String(c).trim())));
    child.once("exit", (code) => reject(new Error(`sdk-front-floor exited ${code}`)));
  });
  return { child, url: `http://127.0.0.1:${port}/mcp` };
}

let serve;
let floor;
try {
  mcps("start", "--all", "--build-arg", `BASE_IMAGE=${BASE}`);
  mcps("stop", "--all");
  const port = await freePort();
  serve = spawn(
    process.execPath,
    [...(process.env.SERVE_NODE_ARGS ?? "").split(" ").filter(Boolean), CLI, "serve", "--listen", `127.0.0.1:${port}`],
    { cwd: dir, stdio: ["ignore", "ignore", "pipe"] },
  );
  let log = "";
  serve.stderr.on("data", (c) => (log += c));
  while (!log.includes("listening on")) await new Promise((r) => setTimeout(r, 50));
  const gateway = `http://127.0.0.1:${port}/mcp/${ID}`;
  const answered = async () => {
    while (!(await probeMcp(direct, "streamable-http", { timeoutMs: 1000 })).ok) await new Promise((r) => setTimeout(r, 20));
  };

  // 2 first, while the customer is stopped: cold wake beside the server's own start-up.
  const wakes = [];
  const own = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    const http = pooledHttp();
    const link = { url: gateway, protocolVersion: MODERN_VERSION, client: { name: "gateway-bench", version: "1.0.0" } };
    const listed = await mcpRequest(http, link, 1, "tools/list", {});
    if (!listed.result?.tools?.length) throw new Error(`the woken gateway listed no tools: ${JSON.stringify(listed)}`);
    wakes.push(performance.now() - t0);
    await http.close();
    execFileSync("docker", ["stop", "-t", "2", container], { stdio: "ignore" });
    await new Promise((r) => setTimeout(r, 500)); // serve sees the stop through its event stream
    const t1 = performance.now();
    execFileSync("docker", ["start", container], { stdio: "ignore" });
    await answered();
    own.push(performance.now() - t1);
    if (i < RUNS - 1) {
      execFileSync("docker", ["stop", "-t", "2", container], { stdio: "ignore" });
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  floor = await floorServer();
  const paths = [
    { name: "direct", url: direct, tool: "echo", pid: undefined },
    { name: "gateway", url: gateway, tool: "strict_echo", pid: serve.pid },
    { name: "SDK front alone", url: floor.url, tool: "strict_echo", pid: floor.child.pid },
  ];
  // Warm every path (JIT, pooled connections, the gateway's listing), then measure.
  for (const p of paths) await load(p.url, p.tool, 4, undefined);
  const rows = [];
  for (const concurrency of [1, 16]) {
    const got = {};
    for (const p of paths) got[p.name] = await load(p.url, p.tool, concurrency, p.pid);
    rows.push({ concurrency, got });
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const ms = (x) => `${x.toFixed(2)} ms`;
  process.stdout.write(
    `mcps gateway bench: one strict 2026-07-28 server (2 CPUs), a plain JSON-RPC client from a 2nd process, ${os.cpus().length} CPUs\n`,
  );
  process.stdout.write(
    `  cold wake (stopped customer -> first tools/list via gateway): ${ms(median(wakes))}; server's own start-up: ${ms(median(own))}\n`,
  );
  for (const { concurrency, got } of rows) {
    process.stdout.write(`  concurrency ${concurrency}:\n`);
    for (const [name, r] of Object.entries(got)) {
      const cpu = r.cpuPerCall === undefined ? "" : `, ${r.cpuPerCall.toFixed(2)} ms CPU per call in its process`;
      process.stdout.write(
        `    ${name.padEnd(16)} p50 ${ms(r.p50)} p99 ${ms(r.p99)} ${Math.round(r.cps)} calls/s (${r.calls} ok, ${r.failed} failed)${cpu}\n`,
      );
    }
    const d = got.direct;
    const g = got.gateway;
    const f = got["SDK front alone"];
    process.stdout.write(
      `    gateway adds p50 ${ms(g.p50 - d.p50)} p99 ${ms(g.p99 - d.p99)}; the SDK front alone takes p50 ${ms(f.p50)}; gateway calls/s = ${(g.cps / f.cps).toFixed(2)}x the SDK front's\n`,
    );
  }
  process.stdout.write("  goals: added p50 <= 1 ms, added p99 <= 5 ms, >= 2000 calls/s through one gateway at concurrency 16\n");
} finally {
  serve?.kill("SIGTERM");
  floor?.child.kill("SIGTERM");
  spawnSync(process.execPath, [CLI, "down", "--timeout", "0"], { cwd: dir, stdio: "ignore" });
  const images = spawnSync("docker", ["images", "--format", "{{.Repository}}:{{.Tag}}", "--filter", `reference=mcps/${PROJECT}/*`], {
    encoding: "utf8",
  })
    .stdout.split("\n")
    .filter(Boolean);
  if (images.length) spawnSync("docker", ["rmi", "--no-prune", ...images], { stdio: "ignore" });
  rmSync(dir, { recursive: true, force: true });
}
