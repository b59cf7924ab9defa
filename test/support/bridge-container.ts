/**
 * Containers running mcps's stdio bridge (mcps/_bridge), for the integration tests: a test catalog
 * that shares the real bridge (copied, never duplicated in the repo), the processes inside a
 * container, a way to kill the child, and cleanup of everything a test project made.
 */
import { cpSync, mkdirSync } from "node:fs";
import path from "node:path";
import { ROOT } from "./cli.js";
import { docker } from "./docker.js";
import { REAL_CATALOG, workspace } from "./workspace.js";

/** One test-only type, `everything` (server-everything over stdio), whose build context is its catalog. */
export const BRIDGE_CATALOG = path.join(ROOT, "test/fixtures/bridge-catalog");

/** A workspace with the bridge test catalog plus the real catalog's _bridge folder (without node_modules). */
export function bridgeWorkspace(config: unknown): string {
  const dir = workspace(config, BRIDGE_CATALOG);
  const into = path.join(dir, "mcps/_bridge");
  mkdirSync(into);
  cpSync(path.join(REAL_CATALOG, "_bridge"), into, { recursive: true, filter: (src) => path.basename(src) !== "node_modules" });
  return dir;
}

export interface ContainerProcess {
  /** Host PID, as `docker top` (GET /containers/{id}/top) reports it. */
  pid: number;
  args: string;
}

export function processesIn(container: string): ContainerProcess[] {
  const lines = docker(["top", container, "-eo", "pid,args"]).trim().split("\n").slice(1);
  return lines.map((line) => {
    const m = /^\s*(\d+)\s+(.*)$/.exec(line);
    return { pid: Number(m?.[1]), args: m?.[2] ?? line };
  });
}

/** The bridge processes and the child processes (args starting with `childStart`), health checks left out. */
export function bridgeAndChildren(container: string, childStart: string): { bridge: ContainerProcess[]; children: ContainerProcess[] } {
  const all = processesIn(container);
  return {
    bridge: all.filter((p) => p.args.startsWith("node /opt/mcps-bridge/bridge.mjs ")),
    children: all.filter((p) => p.args.startsWith(childStart)),
  };
}

/**
 * SIGKILLs, inside the container, the processes whose second argument (the script node runs) ends
 * with `script`; returns their PIDs there. The base image has no ps or pgrep: node reads /proc.
 */
export function killInside(container: string, script: string): number[] {
  const source = `const fs = require("fs"); const out = [];
for (const p of fs.readdirSync("/proc")) {
  if (!/^[0-9]+$/.test(p)) continue;
  let argv; try { argv = fs.readFileSync("/proc/" + p + "/cmdline", "utf8").split("\\0"); } catch { continue; }
  if (argv[0] === "node" && (argv[1] || "").endsWith(process.argv[1])) { process.kill(Number(p), "SIGKILL"); out.push(Number(p)); }
}
console.log(JSON.stringify(out));`;
  return JSON.parse(docker(["exec", container, "node", "-e", source, script]).trim()) as number[];
}

/** Everything the project made on the engine: containers, networks, images (layers kept for the next run). */
export function removeProject(project: string): void {
  const list = (args: string[]) => docker(args).trim().split("\n").filter(Boolean);
  const ids = list(["ps", "-aq", "--filter", `label=mcps.project=${project}`]);
  if (ids.length) docker(["rm", "-f", ...ids]);
  for (const n of list(["network", "ls", "-q", "--filter", `label=mcps.project=${project}`])) docker(["network", "rm", n]);
  const images = list(["images", "--format", "{{.Repository}}:{{.Tag}}", "--filter", `reference=mcps/${project}/*`]);
  if (images.length) docker(["rmi", "--no-prune", ...images]);
}
