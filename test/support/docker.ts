/**
 * Docker for integration tests: the real engine, never a mock. Outside CI a missing engine skips
 * the test with a loud notice; under CI=true it is a failure.
 */
import { execFileSync, spawnSync } from "node:child_process";
import path from "node:path";
import type { TestContext } from "node:test";
import { ROOT } from "./cli.js";

/** Faithful to the public node:20-bookworm-slim (see make-base-image.sh); MCPS_TEST_BASE_IMAGE overrides. */
export const BASE_IMAGE = process.env.MCPS_TEST_BASE_IMAGE ?? "mcps-test-base:bookworm";

export function engineAnswers(): boolean {
  return spawnSync("docker", ["info"], { stdio: "ignore", timeout: 20_000 }).status === 0;
}

/** Returns false (and skips) when the test cannot run here. */
export function requireEngine(t: TestContext): boolean {
  if (engineAnswers()) return true;
  if (process.env.CI) throw new Error("CI=true but no Docker engine answers (is dockerd running?)");
  const notice = "NO DOCKER ENGINE: skipping Docker-backed test (start dockerd, or run under CI=true to make this a failure)";
  process.stderr.write(`\n!!! ${notice}\n`);
  t.skip(notice);
  return false;
}

/** The test base image (Debian bookworm minbase + the host's node and npm), built without any registry. */
export function ensureBaseImage(): string {
  execFileSync("bash", [path.join(ROOT, "test/support/make-base-image.sh"), BASE_IMAGE], { stdio: ["ignore", "ignore", "inherit"] });
  return BASE_IMAGE;
}

export function docker(args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): string {
  return execFileSync("docker", args, {
    cwd: opts.cwd,
    env: { ...process.env, ...opts.env },
    encoding: "utf8",
    timeout: opts.timeoutMs ?? 300_000,
    stdio: ["ignore", "pipe", "pipe"],
  });
}

export function compose(args: string[], opts: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number }): { code: number; out: string } {
  const r = spawnSync("docker-compose", args, {
    cwd: opts.cwd,
    env: { ...process.env, ...opts.env },
    encoding: "utf8",
    timeout: opts.timeoutMs ?? 600_000,
  });
  return { code: r.status ?? -1, out: `${r.stdout}\n${r.stderr}` };
}

export function healthOf(container: string): string {
  const r = spawnSync("docker", ["inspect", "-f", "{{if .State.Health}}{{.State.Health.Status}}{{else}}{{.State.Status}}{{end}}", container], {
    encoding: "utf8",
  });
  return r.status === 0 ? r.stdout.trim() : "absent";
}

/** Polls until every container is healthy; bounded in time. Returns the last states seen. */
export async function waitHealthy(containers: string[], timeoutMs: number): Promise<Record<string, string>> {
  const deadline = Date.now() + timeoutMs;
  let states: Record<string, string> = {};
  while (Date.now() < deadline) {
    states = Object.fromEntries(containers.map((c) => [c, healthOf(c)]));
    if (Object.values(states).every((s) => s === "healthy")) return states;
    await new Promise((r) => setTimeout(r, 1000));
  }
  return states;
}
