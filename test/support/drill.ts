/**
 * A drill on the real engine: a temporary workspace with the tiny drill catalog, a unique project
 * (mcps-it-<random>) and unique customer ids (so host ports, derived from service names, do not meet
 * another test's), and cleanup of everything the project made: containers, networks, images.
 */
import { randomBytes } from "node:crypto";
import { rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { runCliProcess, runCliProcessAsync, ROOT, type CliResult } from "./cli.js";
import { docker, ensureBaseImage } from "./docker.js";
import { workspace } from "./workspace.js";

export const DRILL_CATALOG = path.join(ROOT, "test/fixtures/drill-catalog");

export interface Drill {
  dir: string;
  project: string;
  /** Per-drill random suffix, for customer ids and other names. */
  tag: string;
  base: string;
  /** One tiny server per customer id, with optional config overrides. */
  writeConfig(servers: Array<{ id: string; config?: Record<string, string> }>, extra?: Record<string, unknown>): void;
  run(args: string[], env?: NodeJS.ProcessEnv): CliResult;
  runAsync(args: string[], env?: NodeJS.ProcessEnv): Promise<CliResult>;
  /** Names of the project's containers, sorted. */
  containers(): string[];
  networks(): string[];
  cleanup(): void;
}

export function drill(token = "drill-token-value"): Drill {
  const tag = randomBytes(3).toString("hex");
  const project = `mcps-it-${tag}`;
  const base = ensureBaseImage();
  const dir = workspace("{}", DRILL_CATALOG);
  const env = { DRILL_TOKEN: token };
  const list = (args: string[]) => docker(args).trim().split("\n").filter(Boolean).sort();
  return {
    dir,
    project,
    tag,
    base,
    writeConfig(servers, extra = {}) {
      const customers = servers.map(({ id, config = {} }) => ({
        id,
        name: id,
        mcp_servers: [{ type: "tiny", config: { token_env: "DRILL_TOKEN", ...config } }],
      }));
      writeFileSync(path.join(dir, "mcp_servers.json"), JSON.stringify({ project, customers, ...extra }, null, 2));
    },
    run: (args, more = {}) => runCliProcess(args, { cwd: dir, env: { ...env, ...more }, timeoutMs: 120_000 }),
    runAsync: (args, more = {}) => runCliProcessAsync(args, { cwd: dir, env: { ...env, ...more } }),
    containers: () => list(["ps", "-a", "--filter", `label=mcps.project=${project}`, "--format", "{{.Names}}"]),
    networks: () => list(["network", "ls", "--filter", `label=mcps.project=${project}`, "--format", "{{.Name}}"]),
    cleanup() {
      const ids = list(["ps", "-aq", "--filter", `label=mcps.project=${project}`]);
      if (ids.length) docker(["rm", "-f", ...ids]);
      for (const n of list(["network", "ls", "-q", "--filter", `label=mcps.project=${project}`])) docker(["network", "rm", n]);
      const images = list(["images", "--format", "{{.Repository}}:{{.Tag}}", "--filter", `reference=mcps/${project}/*`]);
      // --no-prune keeps the layers: the next drill builds from cache.
      if (images.length) docker(["rmi", "--no-prune", ...images]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The JSON document of a `--json` run, with the run's stderr in the message when it is not JSON. */
export function parsed<T = { services: Array<{ service: string; action: string; detail?: string; reason?: string }> }>(r: CliResult): T {
  try {
    return JSON.parse(r.stdout) as T;
  } catch {
    throw new Error(`not JSON (exit ${r.code}): ${r.stdout}\n${r.stderr}`);
  }
}
