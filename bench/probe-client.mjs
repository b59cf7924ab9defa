#!/usr/bin/env node
// The host probe: mcps's own (src/health, the one definition the container check runs too) beside the
// official SDK v2 client (versionNegotiation auto), each as a cold process doing what `mcps status` does
// per server: negotiate the revision and list the tools. Against a strict 2026-07-28 server and a 2025 one
// (both from the official SDKs, on 127.0.0.1). Prints the median wall time and CPU time of RUNS cold runs,
// and each as a ratio to a bare `node -e 0` from the same run. Run: node bench/probe-client.mjs
import { execFileSync, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const RUNS = Number(process.env.RUNS ?? 15);
if (!existsSync(path.join(ROOT, "dist/cli.js"))) execFileSync("npm", ["run", "build"], { cwd: ROOT, stdio: "inherit" });

const SERVER = `
import { createServer } from "node:http";
import { startSdkServer } from "${ROOT}/test/support/sdk-mcp-servers.ts";
const [strict, v1] = await Promise.all([startSdkServer("strict"), startSdkServer("v1")]);
console.log(JSON.stringify({ strict: strict.url, v1: v1.url }));
`;
const OURS = `const { probeMcp } = await import("${ROOT}/dist/health/mcp-probe.js");
const r = await probeMcp(process.argv[1], "streamable-http"); if (!r.ok) throw new Error(r.error);`;
// What a long-lived caller does (serve, start --wait): the probe over a pool of keep-alive connections
// (undici), here paying its load and first connection in a cold process.
const POOLED = `const { probeMcp } = await import("${ROOT}/dist/health/mcp-probe.js");
const { pooledHttp } = await import("${ROOT}/dist/health/pooled-http.js"); const http = pooledHttp();
const r = await probeMcp(process.argv[1], "streamable-http", { http }); await http.close(); if (!r.ok) throw new Error(r.error);`;
const SDK = `const { Client, StreamableHTTPClientTransport } = await import("@modelcontextprotocol/client");
const c = new Client({ name: "bench", version: "1" }, { versionNegotiation: { mode: "auto" } });
await c.connect(new StreamableHTTPClientTransport(new URL(process.argv[1]))); await c.listTools(); await c.close();`;

/** Each child reports its own whole-process CPU time (user + system, µs) on stderr as it exits. */
const CPU_REPORT = `data:text/javascript,process.on("exit",()=>{const u=process.resourceUsage();process.stderr.write("cpu:"+(u.userCPUTime+u.systemCPUTime)+"\\n")})`;

/** Wall ms and CPU ms of one cold process. */
function timed(args) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, ["--import", CPU_REPORT, ...args], { cwd: ROOT, stdio: ["ignore", "ignore", "pipe"] });
    let err = "";
    child.stderr.setEncoding("utf8").on("data", (d) => (err += d));
    child.on("exit", (code) => {
      const cpu = /cpu:(\d+)/.exec(err);
      if (code !== 0 || !cpu) return reject(new Error(`${args.join(" ").slice(0, 80)}: exit ${code}: ${err}`));
      resolve({ wallMs: performance.now() - started, cpuMs: Number(cpu[1]) / 1000 });
    });
  });
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
async function measure(args) {
  const runs = [];
  for (let i = 0; i < RUNS; i++) runs.push(await timed(args));
  return { wallMs: median(runs.map((r) => r.wallMs)), cpuMs: median(runs.map((r) => r.cpuMs)) };
}

const server = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", SERVER], { cwd: ROOT, stdio: ["ignore", "pipe", "inherit"] });
const urls = await new Promise((resolve) => server.stdout.once("data", (d) => resolve(JSON.parse(String(d)))));
try {
  const floor = await measure(["-e", "0"]);
  console.log(`${"client".padEnd(26)} ${"wall ms".padStart(8)} ${"cpu ms".padStart(8)} ${"wall/node".padStart(10)} ${"cpu/node".padStart(9)}`);
  const row = (name, m) =>
    console.log(
      `${name.padEnd(26)} ${m.wallMs.toFixed(0).padStart(8)} ${m.cpuMs.toFixed(0).padStart(8)} ${(m.wallMs / floor.wallMs).toFixed(2).padStart(10)} ${(m.cpuMs / floor.cpuMs).toFixed(2).padStart(9)}`,
    );
  row("node -e 0", floor);
  for (const [kind, url] of Object.entries(urls)) {
    row(`mcps probe, ${kind}`, await measure(["--input-type=module", "-e", OURS, url]));
    row(`mcps probe pooled, ${kind}`, await measure(["--input-type=module", "-e", POOLED, url]));
    row(`SDK v2 client, ${kind}`, await measure(["--input-type=module", "-e", SDK, url]));
  }
} finally {
  server.kill();
}
