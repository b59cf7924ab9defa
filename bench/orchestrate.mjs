#!/usr/bin/env node
// mcps start/status/stop beside docker-compose up -d/ps/stop on the same generated file, and mcps start
// beside raw `docker run -d` (30 at once, same flags as the plan; the 10 networks made first, at once):
// 10 customers x 3 types of a light image (the alertmanager server, ~4 MiB each), Docker engine on
// this machine. Prints the median of RUNS cold runs per pair and the ratio. Run: npm run bench:orchestrate
// Needs: a running Docker engine, docker-compose, and the local base image (test/support/make-base-image.sh).
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const CLI = path.join(ROOT, "dist/cli.js");
const RUNS = Number(process.env.RUNS ?? 3);
const CUSTOMERS = 10;
const TYPES = ["light-a", "light-b", "light-c"];
const IMAGE = "mcps-bench/light:local";
const PROJECT = "mcpsbench";
const BASE = process.env.BASE_IMAGE ?? "mcps-test-base:bookworm";

if (!existsSync(CLI)) execFileSync("npm", ["run", "build"], { cwd: ROOT, stdio: "inherit" });
execFileSync("bash", [path.join(ROOT, "test/support/make-base-image.sh"), BASE], { stdio: "inherit" });
execFileSync("docker", ["build", "-q", "--build-arg", `BASE_IMAGE=${BASE}`, "-t", IMAGE, path.join(ROOT, "mcps/alertmanager")], { stdio: "ignore" });

const dir = mkdtempSync(path.join(os.tmpdir(), "mcps-bench-orch-"));
for (const type of TYPES) {
  mkdirSync(path.join(dir, "mcps", type), { recursive: true });
  writeFileSync(
    path.join(dir, "mcps", type, "mcp.yaml"),
    [
      `description: light bench type (alertmanager server image)`,
      `image: ${IMAGE}`,
      `port: 8000`,
      `transport: streamable-http`,
      `path: /mcp`,
      `config: { url: { required: true, env: ALERTMANAGER_URL } }`,
      `resources: { cpus: 0.25, memory: 64m, pids: 64 }`,
      `healthcheck: { interval: 30s, timeout: 10s, retries: 3, start_period: 5s }`,
    ].join("\n"),
  );
}
const customers = Array.from({ length: CUSTOMERS }, (_, i) => ({
  id: `bench${i}`,
  name: `Bench ${i}`,
  mcp_servers: TYPES.map((type) => ({ type, config: { url: "http://127.0.0.1:1" } })),
}));
writeFileSync(path.join(dir, "mcp_servers.json"), JSON.stringify({ project: PROJECT, customers }));
const profiles = customers.map((c) => c.id).join(",");

function timed(cmd, args, env = {}) {
  const started = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { cwd: dir, env: { ...process.env, ...env }, encoding: "utf8" });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (r.status !== 0 && !(args.includes("status") && r.status === 1)) throw new Error(`${cmd} ${args.join(" ")}: ${r.stderr}`);
  return seconds;
}
const mcps = (...args) => timed(process.execPath, [CLI, ...args]);
const compose = (...args) => timed("docker-compose", ["-p", PROJECT, "-f", "docker-compose.mcps.yml", ...args], { COMPOSE_PROFILES: profiles });
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

let statusRows;
// Raw docker run: the plan's own settings as `docker run` flags, on networks of their own.
const { loadPlan } = await import(path.join(ROOT, "dist/load/load-plan.js"));
const { plan } = await loadPlan({ config: path.join(dir, "mcp_servers.json"), catalog: path.join(dir, "mcps") });
const RAW = `${PROJECT}-raw`;
const rawRun = (s) => [
  "run",
  "-d",
  "--name",
  `${RAW}-${s.name}`,
  "--label",
  `bench=${RAW}`,
  "--network",
  `${RAW}-${s.customerId}`,
  "--network-alias",
  s.type,
  "-p",
  `${s.bindAddress}:${s.hostPort}:${s.containerPort}`,
  "--cpus",
  String(s.resources.cpus),
  "--memory",
  String(s.resources.memoryBytes),
  "--pids-limit",
  String(s.resources.pids),
  "--restart",
  s.hardening.restart,
  "--init",
  "--cap-drop",
  "ALL",
  "--security-opt",
  "no-new-privileges:true",
  "--log-opt",
  "max-size=10m",
  "--log-opt",
  "max-file=3",
  // The same health check timings; the command is a stand-in (start time does not run it).
  "--health-cmd",
  "node -e 0",
  "--health-interval",
  s.healthcheck.interval,
  "--health-timeout",
  s.healthcheck.timeout,
  "--health-retries",
  String(s.healthcheck.retries),
  "--health-start-period",
  s.healthcheck.startPeriod,
  ...s.env.flatMap((e) => ["-e", `${e.name}=${"value" in e ? e.value : ""}`]),
  s.image,
];
const all = (cmds) =>
  Promise.all(
    cmds.map(
      (args) =>
        new Promise((resolve, reject) => {
          const child = spawn("docker", args, { stdio: ["ignore", "ignore", "pipe"] });
          let err = "";
          child.stderr.on("data", (d) => (err += d));
          child.on("close", (code) => (code === 0 ? resolve() : reject(new Error(`docker ${args.slice(0, 3).join(" ")}: ${err}`))));
        }),
    ),
  );
async function raw() {
  const started = process.hrtime.bigint();
  await all(plan.networks.map((n) => ["network", "create", "--label", `bench=${RAW}`, `${RAW}-${n.key}`]));
  const networksDone = process.hrtime.bigint();
  await all(plan.services.map(rawRun));
  const done = process.hrtime.bigint();
  return { total: Number(done - started) / 1e9, networks: Number(networksDone - started) / 1e9 };
}
function rawDown() {
  const ids = spawnSync("docker", ["ps", "-aq", "--filter", `label=bench=${RAW}`], { encoding: "utf8" })
    .stdout.split("\n")
    .filter(Boolean);
  if (ids.length) spawnSync("docker", ["rm", "-f", ...ids]);
  const nets = spawnSync("docker", ["network", "ls", "-q", "--filter", `label=bench=${RAW}`], { encoding: "utf8" })
    .stdout.split("\n")
    .filter(Boolean);
  if (nets.length) spawnSync("docker", ["network", "rm", ...nets]);
}
const rawRows = { start: [], networks: [] };

const rows = { "start (cold)": [[], []], "status / ps": [[], []], stop: [[], []], "start --wait (cold, until MCP answers)": [[], null] };
try {
  mcps("generate");
  mcps("down");
  for (let i = 0; i < RUNS; i++) {
    rows["start (cold)"][1].push(compose("up", "-d"));
    rows["status / ps"][1].push(compose("ps"));
    rows.stop[1].push(compose("stop"));
    compose("down");
    const r = await raw();
    rawRows.start.push(r.total);
    rawRows.networks.push(r.networks);
    rawDown();
    rows["start (cold)"][0].push(mcps("start", "--all"));
    rows["status / ps"][0].push(mcps("status"));
    rows.stop[0].push(mcps("stop", "--all"));
    mcps("down");
    rows["start --wait (cold, until MCP answers)"][0].push(mcps("start", "--all", "--wait"));
    mcps("down");
  }
  statusRows = benchStatus();
} finally {
  rawDown();
  spawnSync(process.execPath, [CLI, "down"], { cwd: dir });
  rmSync(dir, { recursive: true, force: true });
}

console.log(
  `${CUSTOMERS} customers x ${TYPES.length} types (${CUSTOMERS * TYPES.length} containers), median of ${RUNS} runs, seconds, whole process`,
);
console.log("what".padEnd(40) + "mcps".padStart(8) + "compose".padStart(10) + "  mcps/compose");
for (const [what, [ours, theirs]] of Object.entries(rows)) {
  const a = median(ours);
  const b = theirs ? median(theirs) : undefined;
  console.log(
    what.padEnd(40) +
      a.toFixed(2).padStart(8) +
      (b === undefined ? "-" : b.toFixed(2)).padStart(10) +
      (b === undefined ? "" : (a / b).toFixed(2).padStart(15)),
  );
}
const rawStart = median(rawRows.start);
const ourStart = median(rows["start (cold)"][0]);
console.log(
  "start (cold) vs raw docker run -d".padEnd(40) +
    ourStart.toFixed(2).padStart(8) +
    rawStart.toFixed(2).padStart(10) +
    (ourStart / rawStart).toFixed(2).padStart(15) +
    `   (raw: ${median(rawRows.networks).toFixed(2)} s of it creating the ${plan.networks.length} networks)`,
);
console.log(
  "compose = docker-compose " +
    spawnSync("docker-compose", ["version", "--short"], { encoding: "utf8" }).stdout.trim() +
    " (up -d / ps / stop); mcps status includes an MCP handshake per server",
);

/**
 * status beside its peers, all on ONE running fleet (brought up by docker-compose, healthy): mcps status
 * with an MCP handshake per server, mcps status --no-probe, docker-compose ps, and a raw docker ps of the
 * project's containers. Median of RUNS runs each, interleaved, whole process.
 */
function benchStatus() {
  const out = { "mcps status (MCP probes)": [], "mcps status --no-probe": [], "docker-compose ps": [], "docker ps (label filter)": [] };
  compose("up", "-d");
  try {
    const deadline = Date.now() + 120_000;
    while (spawnSync(process.execPath, [CLI, "status", "--no-probe"], { cwd: dir }).status !== 0) {
      if (Date.now() > deadline) throw new Error("the fleet did not turn healthy in 120 s");
      spawnSync("sleep", ["1"]);
    }
    for (let i = 0; i < RUNS; i++) {
      out["mcps status (MCP probes)"].push(mcps("status"));
      out["mcps status --no-probe"].push(mcps("status", "--no-probe"));
      out["docker-compose ps"].push(compose("ps"));
      out["docker ps (label filter)"].push(timed("docker", ["ps", "-a", "--filter", `label=mcps.project=${PROJECT}`]));
    }
    const probed = JSON.parse(spawnSync(process.execPath, [CLI, "status", "--json"], { cwd: dir, encoding: "utf8" }).stdout);
    out.note = `${probed.summary.ok}/${probed.summary.total} ok with probes`;
  } finally {
    compose("down");
  }
  return out;
}

console.log("");
console.log(
  `status on one healthy fleet of ${CUSTOMERS * TYPES.length} containers (up by docker-compose), median of ${RUNS} runs, seconds, whole process; ${statusRows.note}`,
);
for (const [what, times] of Object.entries(statusRows)) if (what !== "note") console.log(what.padEnd(40) + median(times).toFixed(2).padStart(8));
