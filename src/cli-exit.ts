/**
 * The one place where a command's result or error becomes lines and an exit code:
 * 0 ok, 1 unhealthy / failed / stale, 2 bad input, 3 engine unreachable (README, "Exit codes").
 * Errors are mapped by their type (errors.ts), results by their outcome (commands/command-outcome.ts).
 */
import { CommanderError } from "commander";
import type { CommandOutcome } from "./commands/command-outcome.js";
import { BadInputError, EngineUnreachableError, McpsError } from "./errors.js";

export const ExitCode = {
  ok: 0,
  /** Something is unhealthy, failed to start, or a generated file is stale. */
  failed: 1,
  /** Bad input: config, catalog, command-line usage, an output path. */
  badInput: 2,
  /** The Docker engine could not be reached (or did not answer in time). */
  engineUnreachable: 3,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** Where the CLI writes: the process's streams from the bin, buffers in a test. */
export interface CliIo {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream;
  /** Read for credentials (start) and the token (serve); default process.env. */
  env?: NodeJS.ProcessEnv;
}

/** What a command's wiring hands back: text for stdout, warnings for stderr, and what it means. */
export interface Shown {
  stdout?: string;
  warnings?: string[];
  outcome?: CommandOutcome;
}

/** One problem, one line: a newline or other control character in a path or value must not start another. */
export const oneLine = (text: string): string =>
  text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) =>
    c === "\n" ? "\\n" : c === "\t" ? "\\t" : `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );

function exitCodeOf(e: unknown): ExitCode {
  // Help and version end the parse as "errors" with exit code 0; every other parse failure is bad input.
  if (e instanceof CommanderError) return e.exitCode === 0 ? ExitCode.ok : ExitCode.badInput;
  if (e instanceof BadInputError) return ExitCode.badInput;
  if (e instanceof EngineUnreachableError) return ExitCode.engineUnreachable;
  return ExitCode.failed;
}

function errorLines(e: unknown, debug: boolean): string[] {
  // Commander has already said its one line (cli-main.ts, usageLine).
  if (e instanceof CommanderError) return [];
  if (e instanceof McpsError) return e.lines().map(oneLine);
  const err = e as Error;
  const lines = [`mcps: unexpected error: ${err?.message ?? String(e)}`];
  return [...lines, debug ? `${err?.stack}` : "mcps: run again with --debug for details"];
}

/** Runs the command line; whatever it shows or throws is written here, and its exit code returned. */
export async function settle(io: CliIo, debug: boolean, run: () => Promise<Shown | undefined>): Promise<ExitCode> {
  try {
    const shown = await run();
    for (const line of shown?.warnings ?? []) io.stderr.write(`mcps: warning: ${oneLine(line)}\n`);
    if (shown?.stdout) io.stdout.write(shown.stdout);
    return shown?.outcome === "failed" ? ExitCode.failed : ExitCode.ok;
  } catch (e) {
    for (const line of errorLines(e, debug)) io.stderr.write(`${line}\n`);
    return exitCodeOf(e);
  }
}
