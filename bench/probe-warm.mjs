#!/usr/bin/env node
// The host probe warm, as serve makes it: one process probing the same server again and again, with
// the revision remembered. One-shot (node:http, a connection per request) beside pooled (undici
// keep-alive connections held for the process's life), against a strict 2026-07-28 server and a
// 2025 one (official SDKs, on 127.0.0.1, in another process). Prints the median wall time and CPU
// time (this process only) per probe over ROUNDS rounds of PROBES probes, and pooled / one-shot.
// PAUSE_MS between probes: 0 is a burst (a status round, a switch); serve's default interval is
// longer than servers keep idle connections, so the next round opens a fresh one.
// Run: node bench/probe-warm.mjs
import { execFileSync, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const ROUNDS = Number(process.env.ROUNDS ?? 5);
const PROBES = Number(process.env.PROBES ?? 200);
const PAUSE_MS = Number(process.env.PAUSE_MS ?? 0);
if (!existsSync(path.join(ROOT, "dist/cli.js"))) execFileSync("npm", ["run", "build"], { cwd: ROOT, stdio: "inherit" });
const { probeMcp } = await import(`${ROOT}/dist/health/mcp-probe.js`);
const { pooledHttp } = await import(`${ROOT}/dist/health/pooled-http.js`);

const SERVER = `
import { startSdkServer } from "${ROOT}/test/support/sdk-mcp-servers.ts";
const [strict, v1] = await Promise.all([startSdkServer("strict"), startSdkServer("v1")]);
console.log(JSON.stringify({ strict: strict.url, v1: v1.url }));
`;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function round(url, http) {
  const memory = new Map();
  await probeMcp(url, "streamable-http", { memory, ...(http && { http }) }); // learn the revision, warm the JIT
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < PROBES; i++) {
    const r = await probeMcp(url, "streamable-http", { memory, ...(http && { http }) });
    if (!r.ok) throw new Error(r.error);
    if (PAUSE_MS) await sleep(PAUSE_MS);
  }
  const wallMs = performance.now() - t0 - PROBES * PAUSE_MS;
  const cpu = process.cpuUsage(cpu0);
  return { wallMs: wallMs / PROBES, cpuMs: (cpu.user + cpu.system) / 1000 / PROBES };
}

async function measure(url, pooled) {
  const runs = [];
  for (let i = 0; i < ROUNDS; i++) {
    const http = pooled ? pooledHttp() : undefined;
    try {
      runs.push(await round(url, http));
    } finally {
      await http?.close();
    }
  }
  return { wallMs: median(runs.map((r) => r.wallMs)), cpuMs: median(runs.map((r) => r.cpuMs)) };
}

const server = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", SERVER], { cwd: ROOT, stdio: ["ignore", "pipe", "inherit"] });
const urls = await new Promise((resolve) => server.stdout.once("data", (d) => resolve(JSON.parse(String(d)))));
try {
  console.log(`${PROBES} probes x ${ROUNDS} rounds, ${PAUSE_MS} ms apart; per probe, client process only`);
  console.log(
    `${"server".padEnd(8)} ${"client".padEnd(9)} ${"wall ms".padStart(8)} ${"cpu ms".padStart(8)} ${"wall/1shot".padStart(11)} ${"cpu/1shot".padStart(10)}`,
  );
  for (const [kind, url] of Object.entries(urls)) {
    const oneShot = await measure(url, false);
    const pooled = await measure(url, true);
    for (const [name, m] of [
      ["one-shot", oneShot],
      ["pooled", pooled],
    ]) {
      console.log(
        `${kind.padEnd(8)} ${name.padEnd(9)} ${m.wallMs.toFixed(2).padStart(8)} ${m.cpuMs.toFixed(2).padStart(8)} ${(m.wallMs / oneShot.wallMs).toFixed(2).padStart(11)} ${(m.cpuMs / oneShot.cpuMs).toFixed(2).padStart(10)}`,
      );
    }
  }
} finally {
  server.kill();
}
