/** The strict JSON reader, directly: same values as JSON.parse on good input, located problems on bad. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { parseJson } from "../../src/config/parse-json.js";
import { formatProblem } from "../../src/errors.js";

const good = [
  "{}",
  "[]",
  '{"a": [1, -2.5e3, 0, true, false, null, "x\\n\\"\\u00e9\\ud83d\\ude00"], "b": {"c": {}}}',
  ' \r\n\t{"customers": [{"name": "Zürich", "mcp_servers": []}]}\n',
  '"just a string"',
  "12",
];

test("reads what JSON.parse reads, to the same value", () => {
  for (const text of good) {
    const r = parseJson(text, "f.json");
    assert.ok(r.ok, text);
    assert.deepEqual(r.value, JSON.parse(text));
  }
});

test("a leading BOM is skipped, and columns count as an editor shows them", () => {
  const r = parseJson('\ufeff{"a": 1}', "f.json");
  assert.ok(r.ok);
  assert.deepEqual(r.value, { a: 1 });
  const bad = parseJson('\ufeff{"a": 1,}', "f.json");
  assert.ok(!bad.ok);
  assert.equal(formatProblem(bad.problem), "f.json:1:9: invalid JSON: trailing comma before '}'");
});

test("__proto__ and constructor become own data properties and never touch a prototype", () => {
  const r = parseJson('{"__proto__": {"polluted": 1}, "constructor": {"prototype": {"polluted": 2}}}', "f.json");
  assert.ok(r.ok);
  const value = r.value as Record<string, unknown>;
  assert.equal(Object.getPrototypeOf(value), Object.prototype);
  assert.deepEqual(Object.keys(value), ["__proto__", "constructor"]);
  assert.ok(Object.hasOwn(value, "__proto__"));
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
  assert.equal((value as { polluted?: unknown }).polluted, undefined);
});

test("every duplicate key is reported with its path and place; the first occurrence is kept", () => {
  const text = '{\n  "customers": [{"config": {"token_env": "A", "token_env": "B"}}],\n  "customers": []\n}';
  const r = parseJson(text, "f.json");
  assert.ok(!r.ok);
  assert.deepEqual(r.problems.map(formatProblem), [
    "f.json:2:47: customers[0].config.token_env: duplicate key (first at line 2, column 29); a key may appear only once",
    "f.json:3:3: customers: duplicate key (first at line 2, column 3); a key may appear only once",
  ]);
  assert.deepEqual(r.value, { customers: [{ config: { token_env: "A" } }] });
});

test("syntax errors are one line, located, and never quote the text", () => {
  const secret = "glsa_CANARYabc123def456ghi789";
  const bad = [
    `{"token": ${secret}}`,
    `{"token": "${secret}`,
    `{"token": '${secret}'}`,
    `{"token": "${secret}" "x": 1}`,
    `{${secret}: 1}`,
    `[1, 2 ${secret}]`,
    `{"a": "\\q${secret}"}`,
    `{"a": "\\u12G4"}`,
    `{"a": 1} ${secret}`,
    "",
  ];
  for (const text of bad) {
    const r = parseJson(text, "f.json");
    assert.ok(!r.ok, text);
    assert.equal(r.value, undefined);
    const line = formatProblem(r.problem);
    assert.match(line, /^f\.json:\d+:\d+: invalid JSON: [^\n]+$/);
    assert.ok(!line.includes("CANARY"), line);
  }
});

test("a number no double holds is a located value problem at its path; the rest is still read", () => {
  const r = parseJson('{"a": 1,\n "b": [2, -1e999], "c": 1e400}', "f.json");
  assert.ok(!r.ok);
  assert.deepEqual(r.problems.map(formatProblem), [
    "f.json:2:11: b[1]: number out of range (too large for a 64-bit number)",
    "f.json:2:25: c: number out of range (too large for a 64-bit number)",
  ]);
  assert.deepEqual(r.outOfRange, ["b[1]", "c"]);
  assert.deepEqual(r.value, { a: 1, b: [2, -Infinity], c: Infinity });
});

test("nesting past the limit is one line naming the start of its path, not thousands of [0]", () => {
  const r = parseJson(`{"a": {"b": ${"[".repeat(300)}}}`, "f.json");
  assert.ok(!r.ok);
  assert.equal(r.value, undefined);
  assert.match(formatProblem(r.problem), /^f\.json:1:\d+: a\.b\[0\]\[0\]\[0\]\[0\]\[0\]\[0\]\.\.\.: nested deeper than 256 levels$/);
});

test("a duplicate names its first occurrence also for index-like keys (enumerated first) and __proto__", () => {
  const r = parseJson('{"b": 1, "10": 2, "b": 3, "10": 4, "__proto__": 5, "__proto__": 6}', "f.json");
  assert.ok(!r.ok);
  assert.deepEqual(
    r.problems.map((p) => `${p.column} ${p.path}: ${p.message.replace(/; .*/, "")}`),
    [
      "19 b: duplicate key (first at line 1, column 2)",
      '27 ["10"]: duplicate key (first at line 1, column 10)',
      "52 __proto__: duplicate key (first at line 1, column 36)",
    ],
  );
  const value = r.value as Record<string, unknown>;
  assert.deepEqual(Object.entries(value), [
    ["10", 2],
    ["b", 1],
    ["__proto__", 5],
  ]);
});
