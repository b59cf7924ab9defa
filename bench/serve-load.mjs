#!/usr/bin/env node
// The second process of bench/serve-bench.mjs: GET one URL as fast as it answers, from CONCURRENCY
// keep-alive connections, until COUNT requests or SECONDS have passed (whichever comes first).
// Prints one JSON line: requests, seconds, requests per second, p50 / p99 / max latency in ms.
// Run: node bench/serve-load.mjs http://127.0.0.1:7070/api/status [count] [seconds] [concurrency]
import { Agent, request } from "node:http";

const [url, count = "5000", seconds = "10", concurrency = "16"] = process.argv.slice(2);
if (!url) throw new Error("usage: serve-load.mjs URL [count] [seconds] [concurrency]");
const limit = Number(count);
const deadline = performance.now() + Number(seconds) * 1000;
const agent = new Agent({ keepAlive: true, maxSockets: Number(concurrency) });
const latencies = [];
let sent = 0;
let failed = 0;

const once = () =>
  new Promise((resolve) => {
    const t0 = performance.now();
    request(url, { agent }, (res) => {
      res.resume();
      res.on("end", () => {
        if (res.statusCode !== 200) failed++;
        latencies.push(performance.now() - t0);
        resolve();
      });
    })
      .on("error", () => {
        failed++;
        resolve();
      })
      .end();
  });

async function worker() {
  while (sent < limit && performance.now() < deadline) {
    sent++;
    await once();
  }
}

const started = performance.now();
await Promise.all(Array.from({ length: Number(concurrency) }, worker));
const elapsed = (performance.now() - started) / 1000;
latencies.sort((a, b) => a - b);
const pct = (p) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? 0;
agent.destroy();
process.stdout.write(
  `${JSON.stringify({ requests: latencies.length, failed, seconds: elapsed, rps: latencies.length / elapsed, p50: pct(50), p99: pct(99), max: pct(100) })}\n`,
);
