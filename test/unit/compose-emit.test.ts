/** emit-block writes YAML by hand for speed: the yaml package must read back exactly what it was given. */
import assert from "node:assert/strict";
import test from "node:test";
import { parse } from "yaml";
import { emitBlock } from "../../src/compose/emit-block.js";

const awkward = [
  "",
  "plain",
  "no",
  "on",
  "~",
  "null",
  "1e3",
  "0x1F",
  "- dash",
  "key: value",
  "# comment",
  "*alias",
  "&anchor",
  "!!python/object/apply:os.system",
  "quote \" and 'single' and \\ backslash",
  "line\nbreak\r\ttab",
  "nul \u0000 bell \u0007 del \u007f c1 \u0085 \u009f",
  "separators \u2028 \u2029 bom \ufeff nonchars \ufffe \uffff",
  "Zürich ☃ 🎉 עברית \u202e rtl",
  "${GRAFANA_TOKEN} $$ $VAR",
  " leading and trailing ",
  "x".repeat(5000),
];

const doc = {
  services: Object.fromEntries(
    awkward.map((s, i) => [
      `svc-${i}`,
      {
        image: s,
        environment: { A_B: s, [s || "empty"]: s },
        ports: [s, `127.0.0.1:${20000 + i}:8000`],
        labels: { "mcps.project": s, yes: s, "with space": s, "": s },
        deploy: { resources: { limits: { cpus: "0.5", memory: "256m" } } },
        pids_limit: 64,
        init: true,
        nested: [{ a: s, b: [s, 1, false] }, [], {}, [s]],
        empty_map: {},
        empty_list: [],
        number: -0.25,
      },
    ]),
  ),
};

test("the yaml package reads every emitted block back as the value it came from", () => {
  const text = `services:\n${emitBlock(doc.services, "  ")}`;
  assert.deepEqual(parse(text, { uniqueKeys: true }), doc);
});

test("YAML 1.1 words and odd keys are quoted, identifiers and dotted labels are not", () => {
  const text = emitBlock({ yes: 1, On: 2, "mcps.type": 3, A_B: 4, "a b": 5 }, "");
  assert.equal(text, '"yes": 1\n"On": 2\nmcps.type: 3\nA_B: 4\n"a b": 5\n');
});

test("a value equal to the alias is written as the alias", () => {
  let used = 0;
  const text = emitBlock({ test: ["CMD", "PROBE", "x"] }, "", { alias: { value: "PROBE", name: "p", onUse: () => used++ } });
  assert.equal(text, 'test:\n  - "CMD"\n  - *p\n  - "x"\n');
  assert.equal(used, 1);
});
