#!/usr/bin/env node
// How long after a server's first MCP answer Docker calls it healthy (the goal: within 10 s), for one
// customer of the example config with every shipped type (upstreams on 127.0.0.1:1), ROUNDS cold starts.
// The first answer is polled with the host probe every 100 ms; Docker's health with docker inspect.
// Run: node bench/time-to-healthy.mjs   Needs: a Docker engine, the local base image.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const ROUNDS = Number(process.env.ROUNDS ?? 3);
const BASE = process.env.BASE_IMAGE ?? "mcps-test-base:bookworm";
const { probeMcp } = await import(path.join(ROOT, "dist/health/mcp-probe.js"));

const dir = mkdtempSync(path.join(os.tmpdir(), "mcps-tth-"));
const config = JSON.parse(readFileSync(path.join(ROOT, "mcp_servers.json"), "utf8"));
delete config.$schema;
config.project = "mcpstth";
config.customers = config.customers.slice(0, 1);
for (const s of config.customers[0].mcp_servers) for (const k of Object.keys(s.config)) if (k.endsWith("_url")) s.config[k] = "http://127.0.0.1:1";
writeFileSync(path.join(dir, "mcp_servers.json"), JSON.stringify(config));
const vars = [...JSON.stringify(config).matchAll(/"([A-Z][A-Z0-9_]*)"/g)].map((m) => m[1]);
writeFileSync(path.join(dir, "mcp_credentials.env"), vars.map((v) => `${v}=bench-placeholder`).join("\n"));
const cli = (...a) => spawnSync(process.execPath, [path.join(ROOT, "dist/cli.js"), ...a], { cwd: dir, encoding: "utf8" });
const catalog = ["--catalog", path.join(ROOT, "mcps")];
try {
  for (let round = 0; round < ROUNDS; round++) {
    cli("start", "--all", "--build-arg", `BASE_IMAGE=${BASE}`, ...catalog);
    const rows = JSON.parse(cli("status", "--json", "--no-probe", ...catalog).stdout).services;
    const answered = {};
    const healthy = {};
    const t0 = Date.now();
    while (Object.keys(healthy).length < rows.length && Date.now() - t0 < 120_000) {
      await Promise.all(
        rows.map(async (r) => {
          if (!answered[r.type] && (await probeMcp(r.url, "streamable-http", { timeoutMs: 500 })).ok) answered[r.type] = Date.now();
          const health = execFileSync("docker", ["inspect", "-f", "{{.State.Health.Status}}", r.container], { encoding: "utf8" }).trim();
          if (!healthy[r.type] && health === "healthy") healthy[r.type] = Date.now();
        }),
      );
      await new Promise((r) => setTimeout(r, 100));
    }
    const line = rows.map((r) => `${r.type} ${((healthy[r.type] - answered[r.type]) / 1000).toFixed(1)} s`).join(", ");
    console.log(`round ${round}: healthy after the first MCP answer: ${line} (goal: <= 10 s)`);
    cli("stop", "--all", ...catalog);
  }
} finally {
  cli("down");
  rmSync(dir, { recursive: true, force: true });
}
