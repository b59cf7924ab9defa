/**
 * Runs the built CLI (dist/, `npm test` builds first) the way a user does: in this process by
 * default (runCli: dist/cli-main.js's main() with the test's cwd and environment, output captured),
 * or as a process of its own (runCliProcess, runCliProcessAsync) where the process boundary is what
 * a test is about: a hang bound, another user, two processes racing, the bin shim itself.
 */
import { spawn, spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { serialized, sinkStream, withProcessState } from "./in-process.js";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const CLI = path.join(ROOT, "dist/cli.js");
const CLI_MAIN = path.join(ROOT, "dist/cli-main.js");

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  cwd?: string;
  /** Laid over process.env (a value of undefined removes the variable); NO_COLOR=1 is always set. */
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
}

const processEnv = (env: NodeJS.ProcessEnv | undefined): NodeJS.ProcessEnv => ({ ...process.env, NO_COLOR: "1", ...env });

type Main = typeof import("../../src/cli-main.js")["main"];
let loaded: Promise<Main> | undefined;
// The built module, as the bin runs it; loaded once per test file, like any other import.
const cliMain = (): Promise<Main> => (loaded ??= import(pathToFileURL(CLI_MAIN).href).then((m: { main: Main }) => m.main));

/**
 * main(argv) in this process, with exactly `env` as process.env and `cwd` as the current folder
 * for the call (both restored afterwards). Calls within a file run one at a time, so the
 * process-wide cwd and environment of two calls never interleave. A call that outlives `timeoutMs`
 * rejects: it cannot be killed, so the test fails rather than waits.
 */
export function runMain(args: string[], opts: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs?: number }): Promise<CliResult> {
  return serialized(async () => {
    const main = await cliMain();
    const out = sinkStream();
    const err = sinkStream();
    const code = await withProcessState({ cwd: opts.cwd, env: opts.env, timeoutMs: opts.timeoutMs ?? 60_000, what: `mcps ${args.join(" ")}` }, () =>
      main(args, { stdout: out.stream, stderr: err.stream, env: process.env }),
    );
    return { code, stdout: out.text(), stderr: err.text() };
  });
}

/** The CLI in this process (see runMain), environment laid over this process's own. */
export function runCli(args: string[], opts: CliOptions = {}): Promise<CliResult> {
  return runMain(args, { cwd: opts.cwd ?? ROOT, env: processEnv(opts.env), ...(opts.timeoutMs !== undefined && { timeoutMs: opts.timeoutMs }) });
}

/** dist/cli.js as a process of its own, blocking until it exits (killed after timeoutMs: code -1). */
export function runCliProcess(args: string[], opts: CliOptions = {}): CliResult {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    cwd: opts.cwd ?? ROOT,
    env: processEnv(opts.env),
    encoding: "utf8",
    timeout: opts.timeoutMs ?? 60_000,
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** The same, without blocking: for running two processes at once. */
export function runCliProcessAsync(args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: opts.cwd ?? ROOT, env: processEnv(opts.env) });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}
