#!/usr/bin/env node
// Idle CPU of the example fleet (mcp_servers.json: 5 containers, upstreams pointed at 127.0.0.1:1), by the
// engine's own counters: cpu_usage.total_usage from GET /containers/{id}/stats, read at the start and the
// end of a window (WINDOW_S, default 60) while nobody calls the servers. Prints % of one core per
// container for this checkout beside the same fleet of a peer commit (PEER, default the commit before the
// MCP-layer work: supergateway and a node health check every 5 s), run one after the other on this engine.
// SIDES=ours (or peer) measures one side only. Run: npm run bench:idle   Needs: a Docker engine, the local base image (test/support/make-base-image.sh).
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const PEER = process.env.PEER ?? "7b13356";
const WINDOW_S = Number(process.env.WINDOW_S ?? 60);
const SETTLE_S = Number(process.env.SETTLE_S ?? 15);
const BASE = process.env.BASE_IMAGE ?? "mcps-test-base:bookworm";

function engine(pathname) {
  return new Promise((resolve, reject) => {
    const req = http.get({ socketPath: "/var/run/docker.sock", path: pathname }, (res) => {
      let body = "";
      res.setEncoding("utf8").on("data", (d) => (body += d));
      res.on("end", () => (res.statusCode === 200 ? resolve(JSON.parse(body)) : reject(new Error(`${pathname}: ${res.statusCode} ${body}`))));
    });
    req.on("error", reject);
  });
}

/** total_usage (ns of CPU) and the engine's own read time, per container. */
async function sample(ids) {
  return Object.fromEntries(
    await Promise.all(
      ids.map(async (id) => {
        const s = await engine(`/containers/${id}/stats?stream=false&one-shot=true`);
        return [id, { cpuNs: s.cpu_stats.cpu_usage.total_usage, at: Date.parse(s.read) }];
      }),
    ),
  );
}

/** The example config, with every upstream on 127.0.0.1:1 (nothing leaves the machine) and its own project. */
function workspace(root, project) {
  const dir = mkdtempSync(path.join(os.tmpdir(), `mcps-idle-${project}-`));
  const config = JSON.parse(readFileSync(path.join(root, "mcp_servers.json"), "utf8"));
  delete config.$schema;
  config.project = project;
  for (const c of config.customers)
    for (const s of c.mcp_servers) for (const k of Object.keys(s.config)) if (k.endsWith("_url")) s.config[k] = "http://127.0.0.1:1";
  writeFileSync(path.join(dir, "mcp_servers.json"), JSON.stringify(config, null, 2));
  const vars = [...readFileSync(path.join(root, "mcp_servers.json"), "utf8").matchAll(/"([A-Z][A-Z0-9_]*)"/g)].map((m) => m[1]);
  writeFileSync(path.join(dir, "mcp_credentials.env"), vars.map((v) => `${v}=bench-placeholder`).join("\n"));
  return dir;
}

async function measure(label, root) {
  const project = `mcpsidle${label}`;
  const dir = workspace(root, project);
  const config = ["--config", path.join(dir, "mcp_servers.json")];
  const cli = (...args) => spawnSync(process.execPath, [path.join(root, "dist/cli.js"), ...args], { cwd: dir, encoding: "utf8" });
  const run = (...args) => cli(...args, ...config, "--catalog", path.join(root, "mcps"));
  try {
    const started = run("start", "--all", "--wait", "--timeout", "240", "--build-arg", `BASE_IMAGE=${BASE}`);
    if (started.status !== 0) throw new Error(`${label}: mcps start: ${started.stderr.trim().split("\n").slice(-3).join(" | ")}`);
    const containers = await engine(`/containers/json?filters=${encodeURIComponent(JSON.stringify({ label: [`mcps.project=${project}`] }))}`);
    const ids = containers.map((c) => c.Id);
    const types = Object.fromEntries(containers.map((c) => [c.Id, c.Labels["mcps.type"]]));
    await new Promise((r) => setTimeout(r, SETTLE_S * 1000));
    const a = await sample(ids);
    await new Promise((r) => setTimeout(r, WINDOW_S * 1000));
    const b = await sample(ids);
    return ids
      .map((id) => ({ type: types[id], pct: ((b[id].cpuNs - a[id].cpuNs) / ((b[id].at - a[id].at) * 1e6)) * 100 }))
      .sort((x, y) => x.type.localeCompare(y.type));
  } finally {
    cli("down", ...config);
    rmSync(dir, { recursive: true, force: true });
  }
}

function peerCheckout() {
  const dir = mkdtempSync(path.join(os.tmpdir(), "mcps-idle-peer-"));
  execFileSync("git", ["-C", ROOT, "worktree", "add", "--detach", dir, PEER], { stdio: "ignore" });
  symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"));
  execFileSync("npx", ["tsc", "-p", "tsconfig.json"], { cwd: dir, stdio: "inherit" });
  return dir;
}

if (!existsSync(path.join(ROOT, "dist/cli.js"))) execFileSync("npm", ["run", "build"], { cwd: ROOT, stdio: "inherit" });
const peerDir = peerCheckout();
try {
  console.error(`idle window ${WINDOW_S} s after ${SETTLE_S} s of settling; peer ${PEER} first, then this checkout`);
  const sides = (process.env.SIDES ?? "peer,ours").split(",");
  const peer = sides.includes("peer") ? await measure("peer", peerDir) : [];
  const ours = sides.includes("ours") ? await measure("ours", ROOT) : [];
  const sum = (xs) => xs.reduce((n, x) => n + x.pct, 0);
  console.log(`${"type".padEnd(14)} ${"ours % core".padStart(12)} ${"peer % core".padStart(12)}`);
  for (let i = 0; i < Math.max(ours.length, peer.length); i++)
    console.log(
      `${String(ours[i]?.type ?? peer[i]?.type).padEnd(14)} ${(ours[i]?.pct ?? NaN).toFixed(2).padStart(12)} ${(peer[i]?.pct ?? NaN).toFixed(2).padStart(12)}`,
    );
  console.log(
    `${"fleet".padEnd(14)} ${sum(ours).toFixed(2).padStart(12)} ${sum(peer).toFixed(2).padStart(12)}   (ours/peer ${(sum(ours) / sum(peer)).toFixed(3)})`,
  );
  console.log(
    `${"per container".padEnd(14)} ${(sum(ours) / ours.length).toFixed(2).padStart(12)} ${(sum(peer) / peer.length).toFixed(2).padStart(12)}   goal: <= 1.00 each`,
  );
} finally {
  execFileSync("git", ["-C", ROOT, "worktree", "remove", "--force", peerDir], { stdio: "ignore" });
}
