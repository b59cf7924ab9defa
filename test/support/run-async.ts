/**
 * Runs the built CLI with a hard time limit (a hang is a finding, not a stuck suite), with a small
 * explicit environment: as a process of its own without blocking (optionally as another user; cases
 * run a few at a time, so this cannot be spawnSync), or in this process (runMainTimed).
 */
import { spawn } from "node:child_process";
import { CLI, runMain } from "./cli.js";
import { InProcessTimeout } from "./in-process.js";

export interface TimedResult {
  code: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  ms: number;
}

export interface RunOptions {
  cwd: string;
  env?: Record<string, string>;
  timeoutMs: number;
  uid?: number;
}

/** A small, explicit environment: nothing of the test runner's own leaks in, and no engine is reachable. */
export function baseEnv(home: string): Record<string, string> {
  return { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: home, NO_COLOR: "1", DOCKER_HOST: "unix:///nonexistent/docker.sock", LANG: "C.UTF-8" };
}

export function runCliTimed(args: string[], opts: RunOptions): Promise<TimedResult> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: opts.cwd,
      env: { ...baseEnv(opts.cwd), ...opts.env },
      stdio: ["ignore", "pipe", "pipe"],
      ...(opts.uid !== undefined && { uid: opts.uid, gid: opts.uid }),
    });
    let stdout = "";
    let stderr = "";
    let timedOut = false;
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, opts.timeoutMs);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, timedOut, ms: Date.now() - started });
    });
  });
}

/**
 * The same run in this process (cli.ts, runMain): the environment is exactly baseEnv + opts.env, the
 * cwd opts.cwd. A run past the limit is reported as timed out, like a killed process.
 */
export async function runMainTimed(args: string[], opts: RunOptions): Promise<TimedResult> {
  if (opts.uid !== undefined) throw new Error("another user needs a process of its own: runCliTimed");
  const started = Date.now();
  try {
    const r = await runMain(args, { cwd: opts.cwd, env: { ...baseEnv(opts.cwd), ...opts.env }, timeoutMs: opts.timeoutMs });
    return { ...r, timedOut: false, ms: Date.now() - started };
  } catch (e) {
    if (!(e instanceof InProcessTimeout)) throw e;
    return { code: null, stdout: "", stderr: "", timedOut: true, ms: Date.now() - started };
  }
}
