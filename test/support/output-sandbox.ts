/** Helpers for the output-safety tests: a sandbox snapshot, and the shape of a clean refusal. */
import assert from "node:assert/strict";
import { lstatSync, readdirSync, readFileSync, readlinkSync } from "node:fs";
import path from "node:path";
import type { CliResult } from "./cli.js";

/** Every entry under dir: kind, mode and content (or link target), so any change shows. */
export function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (rel: string) => {
    const abs = path.join(dir, rel);
    const st = lstatSync(abs);
    const mode = (st.mode & 0o7777).toString(8);
    if (st.isSymbolicLink()) out[rel] = `link ${readlinkSync(abs)}`;
    else if (st.isDirectory()) {
      if (rel) out[rel] = `dir ${mode}`;
      for (const name of readdirSync(abs).sort()) walk(path.join(rel, name));
    } else if (st.isFile()) out[rel] = `file ${mode} ${readFileSync(abs, "base64")}`;
    else out[rel] = `${st.isFIFO() ? "fifo" : st.isSocket() ? "socket" : "other"} ${mode}`;
  };
  walk("");
  return out;
}

/** Exit 2, exactly one line that starts with the path as typed, no stack, no temp file name. */
export function assertRefused(r: CliResult, typed: string, reason?: RegExp): void {
  assert.equal(r.code, 2, `exit code for --out ${typed}: ${r.stderr}`);
  const lines = r.stderr.trimEnd().split("\n");
  assert.equal(lines.length, 1, `one line for --out ${typed}, got:\n${r.stderr}`);
  assert.ok(lines[0]!.startsWith(`${typed}: `), `names the path as typed: ${lines[0]}`);
  if (reason) assert.match(lines[0]!, reason);
  assert.doesNotMatch(r.stderr, /\.tmp\b|unexpected error|^\s+at /m);
  assert.equal(r.stdout, "");
}
