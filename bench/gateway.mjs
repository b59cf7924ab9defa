#!/usr/bin/env node
// The gateway, measured on the real engine with a real MCP server (the drill's strict 2026-07-28 SDK v2
// server), from this process while `mcps serve` runs as another one on loopback:
// 1. tools/call round trips through /mcp/<customer> beside the same calls straight to the server's
//    port, at concurrency 1 and 16 (one SDK v2 client per slot, so the client's cost is the same on
//    both paths): p50, p99, calls/s, and what the gateway adds. Bounded by COUNT calls and SECONDS.
// 2. The cold wake: a stopped customer -> the first tools/list answer through the gateway, beside the
//    server's own start-up (docker start -> first MCP answer).
// Prints figures from one run; asserts nothing about time. Run: npm run bench:gateway
// Needs: a running Docker engine and the local base image (test/support/make-base-image.sh).
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { freePort } from "./kit.mjs";
import { Client, StreamableHTTPClientTransport } from "@modelcontextprotocol/client";

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

const dir = mkdtempSync(path.join(os.tmpdir(), "mcps-bench-gw-"));
cpSync(path.join(ROOT, "test/fixtures/drill-catalog/strict"), path.join(dir, "mcps/strict"), { recursive: true });
const serverPort = await freePort();
const config = { project: PROJECT, customers: [{ id: ID, name: "Gateway bench", mcp_servers: [{ type: "strict", port: serverPort, config: {} }] }] };
writeFileSync(path.join(dir, "mcp_servers.json"), JSON.stringify(config));
const container = `${PROJECT}-mcp-strict-${ID}`;
const direct = `http://127.0.0.1:${serverPort}/mcp`;

const mcps = (...args) => {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: dir, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`mcps ${args.join(" ")}: ${r.stderr}`);
};

async function client(url) {
  const c = new Client({ name: "gateway-bench", version: "1.0.0" }, { versionNegotiation: { mode: "auto" } });
  await c.connect(new StreamableHTTPClientTransport(new URL(url)));
  return c;
}

const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))];

/** COUNT calls (or SECONDS, whichever ends first) spread over `concurrency` clients. */
async function load(url, concurrency) {
  const clients = await Promise.all(Array.from({ length: concurrency }, () => client(url)));
  const times = [];
  let failed = 0;
  let left = COUNT;
  const deadline = performance.now() + SECONDS * 1000;
  const t0 = performance.now();
  await Promise.all(
    clients.map(async (c, i) => {
      while (left > 0 && performance.now() < deadline) {
        left--;
        const t = performance.now();
        try {
          await c.callTool({ name: url === direct ? "echo" : "strict_echo", arguments: { text: `bench ${i}` } });
          times.push(performance.now() - t);
        } catch {
          failed++;
        }
      }
    }),
  );
  const wall = (performance.now() - t0) / 1000;
  await Promise.all(clients.map((c) => c.close()));
  times.sort((a, b) => a - b);
  return { calls: times.length, failed, p50: pct(times, 50), p99: pct(times, 99), cps: times.length / wall };
}

let serve;
try {
  mcps("start", "--all", "--build-arg", `BASE_IMAGE=${BASE}`);
  mcps("stop", "--all");
  const port = await freePort();
  serve = spawn(process.execPath, [CLI, "serve", "--listen", `127.0.0.1:${port}`], { cwd: dir, stdio: ["ignore", "ignore", "pipe"] });
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
    const c = await client(gateway);
    await c.listTools();
    wakes.push(performance.now() - t0);
    await c.close();
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
  // Warm both paths (JIT, pooled connection), then measure.
  await load(direct, 4);
  await load(gateway, 4);
  const rows = [];
  for (const concurrency of [1, 16]) {
    const d = await load(direct, concurrency);
    const g = await load(gateway, concurrency);
    rows.push({ concurrency, d, g });
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const ms = (x) => `${x.toFixed(2)} ms`;
  process.stdout.write(`mcps gateway bench: one strict 2026-07-28 server, SDK v2 clients from a 2nd process, ${os.cpus().length} CPUs\n`);
  process.stdout.write(
    `  cold wake (stopped customer -> first tools/list via gateway): ${ms(median(wakes))}; server's own start-up: ${ms(median(own))}\n`,
  );
  for (const { concurrency, d, g } of rows) {
    process.stdout.write(
      `  concurrency ${String(concurrency).padStart(2)}: direct p50 ${ms(d.p50)} p99 ${ms(d.p99)} ${Math.round(d.cps)} calls/s (${d.calls}, ${d.failed} failed) | ` +
        `gateway p50 ${ms(g.p50)} p99 ${ms(g.p99)} ${Math.round(g.cps)} calls/s (${g.calls}, ${g.failed} failed) | added p50 ${ms(g.p50 - d.p50)} p99 ${ms(g.p99 - d.p99)}\n`,
    );
  }
  process.stdout.write("  goals: added p50 <= 1 ms, added p99 <= 5 ms, >= 2000 calls/s through one gateway at concurrency 16\n");
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
