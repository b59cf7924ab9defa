/** Shared pieces of the command-line wiring: common options and the error -> exit code mapping. */
import type { Command } from "commander";
import { ExitCode, McpsError } from "./errors.js";

export const sourceOptions = (cmd: Command): Command =>
  cmd
    .option("-c, --config <file>", "customer -> MCP servers mapping", "mcp_servers.json")
    .option("--catalog <dir>", "folder of MCP types (<dir>/<type>/mcp.yaml)", "mcps")
    .option("-o, --out <file>", "the generated compose file (also the memory of host ports)", "docker-compose.mcps.yml")
    // In the plan (the image is hashed): generate, start and status must be given the same one.
    .option("--image-prefix <registry/>", "put REGISTRY/ before every built image (mcps/<type>:<digest>), for a registry all nodes reach");

/** One problem, one line: a newline or other control character in a path or value must not start another. */
export const oneLine = (text: string): string =>
  text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) =>
    c === "\n" ? "\\n" : c === "\t" ? "\\t" : `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );

/** Warnings go to stderr, one line each, in one voice for every command. */
export function warn(lines: string[]): void {
  for (const line of lines) process.stderr.write(`mcps: warning: ${oneLine(line)}\n`);
}

export function report(e: unknown): number {
  if (e instanceof McpsError) {
    for (const line of e.lines()) process.stderr.write(`${oneLine(line)}\n`);
    return e.exitCode;
  }
  const err = e as Error;
  process.stderr.write(`mcps: unexpected error: ${err?.message ?? String(e)}\n`);
  if (process.argv.includes("--debug")) process.stderr.write(`${err?.stack}\n`);
  else process.stderr.write("mcps: run again with --debug for details\n");
  return ExitCode.failed;
}

/** Runs a command body; whatever it throws becomes lines on stderr and an exit code. */
export function action<A extends unknown[]>(body: (...args: A) => Promise<number | void>) {
  return async (...args: A): Promise<void> => {
    try {
      process.exitCode = (await body(...args)) ?? ExitCode.ok;
    } catch (e) {
      process.exitCode = report(e);
    }
  };
}
