/**
 * The config hash's canonical JSON is written for speed (generate on 3,000 services spent a tenth of
 * a second in it) and can remember shared objects; its text must equal the reference definition,
 * or every container would look stale.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { canonicalJson } from "../../src/plan/hash.js";

function reference(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(reference).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${reference(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

const cases: unknown[] = [
  { b: 1, a: { d: [1, "x", null, true], c: undefined }, "a-b": 'é\u2028"\\' },
  { "10": 1, "9": 2, x: 3 }, // index-like keys: JS enumerates them first, the definition does not
  [1, undefined, 2], // undefined array items
  { when: new Date(0) }, // toJSON
  { m: new Map([[1, 2]]), s: new Set([1]) },
  Object.assign(Object.create(null), { z: 1, a: 2 }),
  { toJSON: () => "custom" },
  "plain",
  42,
  null,
  undefined,
  { nested: { deeper: { z: [{ b: 2, a: 1 }], a: -0, n: Number.NaN } } },
];

for (const [i, value] of cases.entries()) {
  test(`canonicalJson equals the reference definition (case ${i})`, () => {
    assert.equal(canonicalJson(value), reference(value));
  });
}

test("canonicalJson with a memo gives the same text for shared and repeated objects", () => {
  const shared = { z: ["x", { b: 1, a: 2 }], a: "é" };
  const value = { one: shared, two: [shared, { shared }], three: undefined };
  const memo = new WeakMap<object, string>();
  assert.equal(canonicalJson(value, memo), reference(value));
  assert.equal(canonicalJson({ again: shared }, memo), reference({ again: shared }));
  assert.equal(memo.get(shared), reference(shared));
});
