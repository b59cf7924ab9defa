/** Our reading of credentials files, including where we chose compose v2 over v1 (see config/dotenv.ts). */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { parseDotenv } from "../../src/config/dotenv.js";
import { credentialLookup, resolveEnv } from "../../src/orchestrate/credentials.js";
import { ConfigError } from "../../src/errors.js";
import type { EnvEntry } from "../../src/plan/types.js";

const get = (text: string, env = {}) => Object.fromEntries(parseDotenv(text, env));

test("the shared rules: quotes, comments, export, escapes, expansion", () => {
  const text = [
    "\uFEFF# a comment",
    "export A=plain",
    "B = spaced value   # comment",
    "C=abc#def",
    'D="x\\ny \\"q\\" \\\\ ${A}"',
    "E='lit ${A} $A \\n'",
    "F=${A}-${MISSING:-dflt}-$A-$$",
    'G="two',
    'lines" # after',
    "H=",
    "I=first",
    "I=second",
    "J=${FROM_ENV}",
    "NOEQUALS",
    'BAD="open',
    "K=after-bad\r",
  ].join("\n");
  assert.deepEqual(get(text, { FROM_ENV: "env" }), {
    A: "plain",
    B: "spaced value",
    C: "abc#def",
    D: 'x\ny "q" \\ plain',
    E: "lit ${A} $A \\n",
    F: "plain-dflt-plain-$",
    G: "two\nlines",
    H: "",
    I: "second",
    J: "env",
    K: "after-bad",
  });
});

test("where compose v1 and v2 differ we follow v2", () => {
  // Empty counts as unset for :- ; the environment is looked at before earlier lines.
  assert.deepEqual(get("E=\nX=${E:-d}\nY=${SHADOW}", { SHADOW: "env" }), { E: "", X: "d", Y: "env" });
  assert.deepEqual(get("SHADOW=file\nY=${SHADOW}", { SHADOW: "env" }), { SHADOW: "file", Y: "env" });
  // Forms neither generation agrees on are kept as typed.
  assert.deepEqual(get("A=${X:?err}/${Y-d}/${UNCLOSED"), { A: "${X:?err}/${Y-d}/${UNCLOSED" });
  // Text after a closing quote makes the line unreadable: skipped, as compose v1 does.
  assert.deepEqual(get('A="q"x\nB=1'), { B: "1" });
});

test("credentialLookup: the environment wins, empty counts as missing, odd files are clean errors", async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "mcps-dotenv-"));
  try {
    const file = path.join(dir, "creds.env");
    writeFileSync(file, 'TOKEN_A="from-file"\nTOKEN_B=\nTOKEN_C=file-c\n');
    const lookup = await credentialLookup(file, { TOKEN_C: "env-c" });
    const entries: EnvEntry[] = ["A", "B", "C", "D"].map((x) => ({ name: x, fromVar: `TOKEN_${x}` }));
    const { env, missing } = resolveEnv(entries, lookup);
    assert.deepEqual(env, { A: "from-file", C: "env-c" });
    assert.deepEqual(missing, ["TOKEN_B", "TOKEN_D"]);
    assert.equal((await credentialLookup(path.join(dir, "absent.env"), {}))("X"), undefined);
    execFileSync("mkfifo", [path.join(dir, "fifo.env")]);
    await assert.rejects(credentialLookup(path.join(dir, "fifo.env"), {}), (e) => e instanceof ConfigError && /not a regular file/.test(e.message));
    await assert.rejects(credentialLookup(dir, {}), (e) => e instanceof ConfigError && /is a folder, not a file/.test(e.message));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
