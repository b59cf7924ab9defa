#!/usr/bin/env node
// Whole-process time and peak memory of `mcps generate` for 200, 1,000 and 5,000 customers x 3 types
// (SIZES), side by side with a bare `node -e 0` (the floor any Node CLI pays) and with the same command
// from a peer commit (PEER, a git revision; default f89a126, main before issue 13; PEER= skips it),
// which reads its own catalog (mcps/ of that commit). Run: npm run bench. Prints the median of RUNS
// runs: wall seconds, CPU seconds (user + system: on a machine shared with other work, CPU time moves
// less than wall time) and peak RSS, all from GNU time; then the fresh runs as ratios (to the floor of
// the same turns, and ours to the peer's) and the cost per service above the floor, which is flat
// when generate is linear in the number of customers.
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const CLI = path.join(ROOT, "dist/cli.js");
const RUNS = Number(process.env.RUNS ?? 5);
const SIZES = (process.env.SIZES ?? "200,1000,5000").split(",").map(Number);
const PEER = process.env.PEER ?? "f89a126";

if (!existsSync("/usr/bin/time")) throw new Error("needs GNU time at /usr/bin/time (apt-get install time)");
if (!existsSync(CLI)) execFileSync("npm", ["run", "build"], { cwd: ROOT, stdio: "inherit" });

/** The peer's tree, built from `git archive PEER` in a temporary folder (our node_modules), or undefined. */
function buildPeer(tmp) {
  if (!PEER) return undefined;
  try {
    const dir = path.join(tmp, "peer");
    mkdirSync(dir);
    const tar = execFileSync("git", ["archive", PEER], { cwd: ROOT, maxBuffer: 1 << 28 });
    execFileSync("tar", ["-x", "-C", dir], { input: tar });
    symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"));
    execFileSync(process.execPath, [path.join(ROOT, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.json"], { cwd: dir, stdio: "inherit" });
    return dir;
  } catch (e) {
    console.error(`peer ${PEER} skipped: ${e.message.split("\n")[0]}`);
    return undefined;
  }
}

function config(n) {
  const customers = Array.from({ length: n }, (_, i) => {
    const tag = `C${String(i).padStart(5, "0")}`;
    return {
      name: `Customer ${tag}`,
      mcp_servers: [
        { type: "grafana", config: { grafana_url: `https://g${i}.example.com`, token_env: `GRAFANA_TOKEN_${tag}` } },
        { type: "alertmanager", config: { alertmanager_url: `http://a${i}.example.com:9093` } },
        { type: "genesys", config: { region: "mypurecloud.de", oauth_client_id_env: `GC_ID_${tag}`, oauth_client_secret_env: `GC_SECRET_${tag}` } },
      ],
    };
  });
  // Wide enough for 5,000 x 3 services (15,000 host ports).
  return { customers, defaults: { port_range: { from: 10000, to: 60000 } } };
}

/** Runs a command once under GNU time: [wall seconds, CPU seconds, peak KiB]. */
function measure(cmd, args, cwd) {
  const r = spawnSync("/usr/bin/time", ["-f", "%e %U %S %M", cmd, ...args], { cwd, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed: ${r.stderr}`);
  const [secs, user, sys, kib] = r.stderr.trim().split("\n").at(-1).split(" ").map(Number);
  return [secs, user + sys, kib];
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Runs each [label, run] RUNS times, taking turns (a busy machine then slows all of them alike): medians. */
function series(...entries) {
  const samples = entries.map(() => ({ t: [], c: [], m: [] }));
  for (let i = 0; i < RUNS; i++) {
    entries.forEach(([, run], j) => {
      const [secs, cpu, kib] = run();
      samples[j].t.push(secs);
      samples[j].c.push(cpu);
      samples[j].m.push(kib);
    });
  }
  return entries.map(([label], j) => ({ label, seconds: median(samples[j].t), cpu: median(samples[j].c), mib: median(samples[j].m) / 1024 }));
}

const tmp = mkdtempSync(path.join(os.tmpdir(), "mcps-bench-"));
const rows = [];
/** Per size: the fresh runs of ours, the peer's (if any) and the floor, measured in the same turns. */
const fresh = [];
try {
  const peer = buildPeer(tmp);
  rows.push(...series(["node -e 0 (floor)", () => measure(process.execPath, ["-e", "0"], ROOT)]));
  /** A folder with the config for n customers and the catalog of `tree`; generate there, from scratch. */
  const workspace = (n, tree, name) => {
    const dir = path.join(tmp, name);
    mkdirSync(dir);
    cpSync(path.join(tree, "mcps"), path.join(dir, "mcps"), { recursive: true, filter: (p) => !p.includes("node_modules") });
    writeFileSync(path.join(dir, "mcp_servers.json"), JSON.stringify(config(n)));
    const out = path.join(dir, "docker-compose.mcps.yml");
    const fresh = () => {
      rmSync(out, { force: true });
      return measure(process.execPath, [path.join(tree, "dist/cli.js"), "generate"], dir);
    };
    return { dir, fresh };
  };
  for (const n of SIZES) {
    const ours = workspace(n, ROOT, `n${n}`);
    const dir = ours.dir;
    const theirs = peer && workspace(n, peer, `peer-n${n}`);
    const turns = series([`generate ${n} x 3, fresh`, ours.fresh], ...(theirs ? [[`  peer ${PEER}: ${n} x 3, fresh`, theirs.fresh]] : []), [
      "node -e 0 (floor, same turns)",
      () => measure(process.execPath, ["-e", "0"], ROOT),
    ]);
    rows.push(...turns);
    fresh.push({ n, ours: turns[0], peer: theirs ? turns[1] : undefined, floor: turns.at(-1) });
    ours.fresh(); // untimed: regenerate and --check then read a file this tree wrote
    rows.push(...series([`generate ${n} x 3, regenerate`, () => measure(process.execPath, [CLI, "generate"], dir)]));
    rows.push(...series([`generate ${n} x 3, --check`, () => measure(process.execPath, [CLI, "generate", "--check"], dir)]));
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}

const floor = rows[0];
console.log(`median of ${RUNS} runs, whole process (node ${process.version}, ${os.cpus().length} cores)`);
console.log("what".padEnd(40) + "wall s".padStart(8) + "  x floor" + "   CPU s" + "   peak MiB");
for (const r of rows) {
  const cells = [
    r.seconds.toFixed(2).padStart(8),
    (r.seconds / floor.seconds).toFixed(1).padStart(9),
    r.cpu.toFixed(2).padStart(8),
    r.mib.toFixed(0).padStart(11),
  ];
  console.log(r.label.padEnd(40) + cells.join(""));
}

const x = (a, b) => `${(a / b).toFixed(1)}x`.padStart(9);
console.log(`\nfresh generate as ratios, each against the floor of its own turns (wall; CPU in brackets)`);
console.log(
  "customers x 3".padEnd(16) +
    "ours/floor".padStart(20) +
    `${PEER ? `peer ${PEER}/floor` : ""}`.padStart(24) +
    `${PEER ? "ours/peer" : ""}`.padStart(22),
);
for (const { n, ours, peer, floor: f } of fresh) {
  const both = (a, b) => `${x(a.seconds, b.seconds)} (${(a.cpu / Math.max(b.cpu, 0.01)).toFixed(1)}x)`;
  console.log(String(n).padEnd(16) + both(ours, f).padStart(20) + (peer ? both(peer, f).padStart(24) + both(ours, peer).padStart(22) : ""));
}
console.log(`\ncost per service above the floor (wall us; flat = linear in customers)`);
for (const { n, ours, peer, floor: f } of fresh) {
  const per = (r) => `${(((r.seconds - f.seconds) * 1e6) / (n * 3)).toFixed(0)} us`.padStart(12);
  console.log(String(n).padEnd(16) + per(ours) + (peer ? `${per(peer)} (peer)` : ""));
}
