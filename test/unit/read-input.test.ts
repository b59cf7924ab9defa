/** readInput: every user input file is checked before it is opened and decoded as strict UTF-8. */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { ConfigError, formatProblem } from "../../src/errors.js";
import { firstInvalidUtf8, readInput } from "../../src/io/read-input.js";

const lineOf = async (file: string): Promise<string> => {
  try {
    await readInput(file);
  } catch (e) {
    assert.ok(e instanceof ConfigError);
    assert.equal(e.problems.length, 1);
    return formatProblem(e.problems[0]!);
  }
  assert.fail(`${file} was read`);
};

test("non-regular files are refused without opening them; a missing file is undefined", async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "mcps-read-input-"));
  try {
    execFileSync("mkfifo", [path.join(dir, "fifo.json")]);
    assert.equal(await lineOf(path.join(dir, "fifo.json")), `${path.join(dir, "fifo.json")}: is a named pipe (FIFO), not a regular file`);
    assert.equal(await lineOf(dir), `${dir}: is a folder, not a file`);
    assert.equal(await readInput(path.join(dir, "absent.json")), undefined);
    writeFileSync(path.join(dir, "ok.json"), '\ufeff{"name": "Zürich 🏔"}');
    assert.equal(await readInput(path.join(dir, "ok.json")), '\ufeff{"name": "Zürich 🏔"}');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("bytes that are not UTF-8 are located, never decoded to U+FFFD", async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "mcps-read-input-"));
  try {
    const file = path.join(dir, "latin1.json");
    writeFileSync(file, Buffer.from('{\n  "name": "Zürich"}', "latin1"));
    assert.equal(await lineOf(file), `${file}:2:13: is not valid UTF-8 (byte 0xFC at offset 14); save it as UTF-8`);
    writeFileSync(file, Buffer.from("\ufeff{}", "utf16le"));
    assert.match(await lineOf(file), /:1:1: is UTF-16 .*; save it as UTF-8$/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("firstInvalidUtf8 agrees with the standard: overlong forms, surrogates, truncation", () => {
  const cases: Array<[number[], number]> = [
    [[0x41, 0xc3, 0xbc, 0xf0, 0x9f, 0x8f, 0x94], -1],
    [[0x41, 0xc0, 0x80], 1], // overlong NUL
    [[0xe0, 0x80, 0x80], 0], // overlong 3-byte
    [[0xed, 0xa0, 0x80], 0], // a UTF-16 surrogate
    [[0xf4, 0x90, 0x80, 0x80], 0], // above U+10FFFF
    [[0x41, 0x42, 0xe2, 0x82], 2], // cut short
    [[0x80], 0], // a lone continuation byte
  ];
  for (const [bytes, at] of cases) assert.equal(firstInvalidUtf8(Uint8Array.from(bytes)), at, bytes.join(","));
});
