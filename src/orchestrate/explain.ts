/**
 * Failure reasons a person can act on: what the engine says (exit code, restarts, out of memory)
 * and the container's last log lines, bounded, with the service's secret values masked.
 */
import type { ContainerDetails, ContainerEngine } from "../engine/container-engine.js";

export const LOG_LINES = 20;
/** Shorter values would mask ordinary words in the logs; no real credential is this short. */
const MIN_SECRET_LENGTH = 4;

export function redactor(secrets: string[]): (line: string) => string {
  const masked = secrets.filter((v) => v.length >= MIN_SECRET_LENGTH).sort((a, b) => b.length - a.length);
  return (line) => masked.reduce((l, v) => l.split(v).join("***"), line);
}

export function withLogs(head: string, lines: string[]): string {
  if (!lines.length) return `${head}; no log output`;
  return `${head}; last ${lines.length} log line${lines.length === 1 ? "" : "s"}:\n${lines.map((l) => `  ${l}`).join("\n")}`;
}

/** "keeps restarting: exited with code 3, restarted 8 times; last 20 log lines: ..." */
export async function crashReason(engine: ContainerEngine, d: ContainerDetails, secrets: string[]): Promise<string> {
  const code = `exited with code ${d.exitCode}${d.oomKilled ? " (out of memory)" : ""}${d.error ? ` (${d.error})` : ""}`;
  const head =
    d.state === "restarting" || d.restartCount > 0
      ? `keeps restarting: ${code}, restarted ${d.restartCount} time${d.restartCount === 1 ? "" : "s"}`
      : `the container ${code}`;
  const lines = await engine.logTail(d.id, LOG_LINES).catch(() => [] as string[]);
  return withLogs(head, lines.map(redactor(secrets)));
}

/** The first line of a reason: what a progress line or a table cell shows. */
export const firstLine = (text: string) => text.split("\n")[0]!;
