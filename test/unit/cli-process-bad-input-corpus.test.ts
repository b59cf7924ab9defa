/**
 * The hostile corpus (test/hostile/*.yaml) through the bin, as processes of their own, for the cases
 * where the process is the point: another user, processes racing on one output, a FIFO (a hang only a
 * killed process recovers from); and one sample case per corpus file, so the bin and main() are held
 * to the same checks. Every other case runs in-process (bad-input-corpus.test.ts).
 *
 * HOSTILE_ONLY and HOSTILE_REPORT work as there.
 */
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { describe, it } from "node:test";
import { CLI } from "../support/cli.js";
import { loadCorpus } from "../support/hostile-case.js";
import { DEFAULT_TIMEOUT_MS, needsProcess, processSample, runHostileCase } from "../support/hostile-run.js";

const all = loadCorpus();
const sample = processSample(all);
const corpus = all.filter((c) => (needsProcess(c) || sample.has(c.name)) && (!process.env.HOSTILE_ONLY || c.name.includes(process.env.HOSTILE_ONLY)));

describe("hostile corpus, whole process", { concurrency: 4 }, () => {
  it("the CLI is built, and the sample covers every corpus file", () => {
    assert.ok(existsSync(CLI), "run `npm run build` first");
    assert.equal(sample.size, new Set(all.map((c) => c.source)).size);
    assert.ok(process.env.HOSTILE_ONLY || corpus.length >= sample.size, `only ${corpus.length} cases`);
  });

  for (const c of corpus) {
    it(`${c.source}: ${c.name}`, { timeout: (c.timeoutMs ?? DEFAULT_TIMEOUT_MS) * 2 + 10_000 }, () => runHostileCase(c, "process"));
  }
});
