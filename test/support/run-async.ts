/**
 * Runs the built CLI without blocking, with a hard time limit (a hang is a finding, not a stuck
 * suite) and optionally as another user. Cases run a few at a time, so this cannot be spawnSync.
 */
import { spawn } from "node:child_process";
import { CLI } from "./cli.js";

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
