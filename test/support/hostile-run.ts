/**
 * One hostile case, run and held to the checks of hostile-check.ts. The corpus runs most cases in
 * this process (bad-input-corpus.test.ts) and, where the process is what a case is about, as
 * processes of their own (cli-process-bad-input-corpus.test.ts): the same case, the same checks.
 */
import assert from "node:assert/strict";
import type { HostileCase } from "./hostile-case.js";
import { caseProblems } from "./hostile-check.js";
import { type RunOptions, runCliTimed, runMainTimed } from "./run-async.js";
import { buildSandbox, NOBODY, removeSandbox, snapshot } from "./sandbox.js";

/** Only reached by a hang; generous because the machine may be shared and busy, and files run concurrently. */
export const DEFAULT_TIMEOUT_MS = 60_000;

/**
 * Cases about a process: another user (a uid), several processes racing on one output, and a FIFO
 * (opening one blocks a thread until a writer comes, which only a killed process gets back).
 */
export const needsProcess = (c: HostileCase): boolean => c.user !== undefined || (c.parallel ?? 1) > 1 || (c.fifos?.length ?? 0) > 0;

/** A generated input (thousands of customers) is about scale, not about the process: a sample skips it. */
const generated = (c: HostileCase) => [c.config, ...Object.values(c.files ?? {})].some((f) => typeof f === "object" && f !== null && "gen" in f);

/**
 * The first case of each corpus file that is not a generated input: the same inputs through the
 * bin, so the two ways cannot drift apart.
 */
export function processSample<C extends HostileCase & { source: string }>(corpus: C[]): Set<string> {
  const seen = new Set<string>();
  const names = new Set<string>();
  for (const c of corpus) {
    if (seen.has(c.source) || generated(c)) continue;
    seen.add(c.source);
    names.add(c.name);
  }
  return names;
}

export async function runHostileCase(c: HostileCase & { source: string }, how: "process" | "in-process"): Promise<void> {
  const timeoutMs = c.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const dir = buildSandbox(c);
  try {
    const before = snapshot(dir);
    const opts: RunOptions = { cwd: dir, timeoutMs, ...(c.env && { env: c.env }), ...(c.user === "nobody" && { uid: NOBODY }) };
    const args = c.args.map((a) => a.replaceAll("{sandbox}", dir));
    const run = how === "process" ? runCliTimed : runMainTimed;
    const runs = await Promise.all(Array.from({ length: c.parallel ?? 1 }, () => run(args, opts)));
    const problems = caseProblems({ ...c, args }, dir, before, snapshot(dir), runs);
    // The report is for triage and never replaces the assertion: a report run fails like any other.
    if (process.env.HOSTILE_REPORT) {
      process.stdout.write(
        `HOSTILE ${problems.length ? "FAIL" : "PASS"} ${how} ${c.source}: ${c.name}${problems.length ? `\n    ${problems.join("\n    ")}` : ""}\n`,
      );
    }
    const shown = runs.map((r) => `exit ${r.code}\n--- stderr\n${r.stderr.slice(0, 2000)}--- stdout\n${r.stdout.slice(0, 500)}`).join("\n");
    assert.deepEqual(problems, [], `${c.spec}\n${shown}`);
  } finally {
    removeSandbox(dir);
  }
}
