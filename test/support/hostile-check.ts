/**
 * The four things asserted for every hostile case, as a list of violations (empty = pass):
 * (a) the exit code; (b) rejects: one `file: ...` line per problem, naming every expected path;
 * (c) no stack trace or "unexpected error"; (d) nothing in the sandbox changed but the intended
 * output, whose mode is kept. Accepted outputs are checked for safety (compose-check.ts).
 */
import { readFileSync, realpathSync } from "node:fs";
import path from "node:path";
import { composeProblems, labelValues } from "./compose-check.js";
import type { HostileCase } from "./hostile-case.js";
import type { TimedResult } from "./run-async.js";
import { changedPaths, type Snapshot } from "./sandbox.js";

const DEFAULT_FILES = ["mcp_servers.json", "grafana_servers.json", "docker-compose.mcps.yml", "mcps"];
const CRASH = [/^\s+at /m, /unexpected error/i, /--debug/, /\.tmp\b/, /\b(TypeError|RangeError|ReferenceError|Maximum call stack)\b/];

export function optionValue(args: string[], names: string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (names.includes(a)) return args[i + 1];
    for (const n of names) if (a.startsWith(`${n}=`)) return a.slice(n.length + 1);
  }
  return undefined;
}

/** The file the command is meant to write ("-" = stdout), if any. */
export function intendedOutput(args: string[]): string | undefined {
  if (args[0] === "generate" && !args.includes("--check")) return optionValue(args, ["--out", "-o"]) ?? "docker-compose.mcps.yml";
  if (args[0] === "migrate") return optionValue(args, ["--out", "-o"]) ?? "mcp_servers.json";
  return undefined;
}

/** A sandbox-relative path for p, or undefined when p lies outside the sandbox. */
function inSandbox(dir: string, p: string): string | undefined {
  const rel = path.relative(dir, path.resolve(dir, p));
  return rel && !rel.startsWith("..") && !path.isAbsolute(rel) ? rel.split(path.sep).join("/") : undefined;
}

function allowedWrites(c: HostileCase, dir: string, before: Snapshot, accepted: boolean): Set<string> {
  if (c.expect.writes) return new Set(c.expect.writes);
  const out = intendedOutput(c.args);
  if (!accepted || !out || out === "-") return new Set();
  const allowed = new Set<string>();
  const rel = inSandbox(dir, out);
  if (rel) allowed.add(rel);
  if (rel && before.get(rel)?.type === "symlink") {
    try {
      const target = inSandbox(dir, realpathSync(path.join(dir, rel)));
      if (target) allowed.add(target);
    } catch {
      const dangling = inSandbox(path.dirname(path.join(dir, rel)), before.get(rel)!.link!);
      if (dangling) allowed.add(dangling);
    }
  }
  return allowed;
}

/**
 * A path as the CLI's one reporting function writes it: control characters escaped ("\n" as the two
 * characters \ and n), so a file name holding a newline stays on its one line.
 */
const escaped = (s: string) =>
  s.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (ch) =>
    ch === "\n" ? "\\n" : ch === "\t" ? "\\t" : `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );

/** An argument holding a control character, written escaped at the start of the line. */
const startsWithEscapedArg = (args: string[], line: string) => args.some((a) => a !== escaped(a) && line.startsWith(`${escaped(a)}:`));

function lineProblems(c: HostileCase, dir: string, stderr: string, known: Set<string>): string[] {
  const problems: string[] = [];
  for (const line of stderr.split("\n").filter(Boolean)) {
    const m = /^(.+?)(:\d+:\d+)?: \S/.exec(line);
    const file = m?.[1];
    const rel = file && file !== "mcps" ? inSandbox(dir, file) : undefined;
    const ok =
      file === "mcps" || startsWithEscapedArg(c.args, line) || (file && (c.args.includes(file) || known.has(file) || (rel && known.has(rel))));
    if (!ok) problems.push(`stderr line does not start with a file name: ${JSON.stringify(line.slice(0, 160))}`);
  }
  return problems;
}

function outputText(c: HostileCase, dir: string, stdout: string): string | undefined {
  const out = intendedOutput(c.args);
  if (!out) return undefined;
  if (out === "-") return stdout;
  try {
    return readFileSync(path.resolve(dir, out), "utf8");
  } catch (e) {
    return `<unreadable: ${(e as Error).message}>`;
  }
}

function acceptedProblems(c: HostileCase, dir: string, r: TimedResult): string[] {
  const text = outputText(c, dir, r.stdout);
  if (text === undefined) return [];
  if (c.args[0] === "migrate") {
    try {
      JSON.parse(text);
      return [];
    } catch {
      return ["migrate output is not JSON"];
    }
  }
  const opts = { bind: c.expect.bind ?? "127.0.0.1", dev: c.args.includes("--dev"), lowPorts: c.expect.lowPorts ?? false };
  const { doc, problems } = composeProblems(text, opts);
  if (doc && c.expect.services !== undefined && Object.keys(doc.services ?? {}).length !== c.expect.services) {
    problems.push(`expected ${c.expect.services} services, got ${Object.keys(doc.services ?? {}).length}`);
  }
  const labels = labelValues(doc);
  for (const want of c.expect.labels ?? []) if (!labels.has(want)) problems.push(`label value ${JSON.stringify(want)} did not survive`);
  return problems;
}

export function caseProblems(c: HostileCase, dir: string, before: Snapshot, after: Snapshot, runs: TimedResult[]): string[] {
  const problems: string[] = [];
  const exits = Array.isArray(c.expect.exit) ? c.expect.exit : [c.expect.exit];
  const known = new Set([...DEFAULT_FILES, ...before.keys(), ...after.keys()]);
  let accepted = false;
  for (const r of runs) {
    const tag = runs.length > 1 ? `run ${runs.indexOf(r) + 1}: ` : "";
    if (r.timedOut) problems.push(`${tag}timed out after ${r.ms} ms (hang)`);
    else if (!exits.includes(r.code ?? -1)) problems.push(`${tag}exit ${r.code}, expected ${exits.join(" or ")}`);
    if (r.code === 0) accepted = true;
    for (const re of CRASH) if (re.test(r.stderr) || re.test(r.stdout)) problems.push(`${tag}crash signature ${re} in output`);
    problems.push(...lineProblems(c, dir, r.stderr, known).map((p) => tag + p));
    if (r.code !== 0 && !r.timedOut && !r.stderr.trim()) problems.push(`${tag}rejected without saying why`);
    const named = r.code === 0 ? (c.expect.warn ?? []) : (c.expect.paths ?? []);
    for (const want of named) if (!r.stderr.includes(want)) problems.push(`${tag}stderr does not name ${JSON.stringify(want)}`);
    if (c.expect.lineCol && r.code !== 0 && !/^\S+?:\d+:\d+: /m.test(r.stderr)) problems.push(`${tag}no file:line:column: location`);
    for (const want of c.expect.stdout ?? []) if (!r.stdout.includes(want)) problems.push(`${tag}stdout lacks ${JSON.stringify(want)}`);
  }
  const allowed = allowedWrites(c, dir, before, accepted);
  const changed = changedPaths(before, after);
  for (const p of changed) {
    if (!allowed.has(p)) problems.push(`sandbox changed: ${p} (${before.get(p)?.type ?? "absent"} -> ${after.get(p)?.type ?? "absent"})`);
    const [b, a] = [before.get(p), after.get(p)];
    if (allowed.has(p) && b?.type === "file" && a?.type === "file" && a.mode !== b.mode)
      problems.push(`mode of ${p} changed from ${b.mode.toString(8)} to ${a.mode.toString(8)}`);
    if (allowed.has(p) && b && b.type !== "symlink" && a?.type !== b.type) problems.push(`${p} changed type ${b.type} -> ${a?.type ?? "absent"}`);
  }
  const written = changed.filter((p) => after.get(p)?.type === "file").map((p) => readFileSync(path.join(dir, p), "utf8"));
  (c.expect.absent ?? []).forEach((secret, i) => {
    for (const r of runs) if (r.stdout.includes(secret) || r.stderr.includes(secret)) problems.push(`absent[${i}] (a secret) printed`);
    if (written.some((t) => t.includes(secret))) problems.push(`absent[${i}] (a secret) written to a file`);
  });
  if (runs.some((r) => r.code === 0)) problems.push(...acceptedProblems(c, dir, runs.find((r) => r.code === 0)!));
  return [...new Set(problems)];
}
