/** The generated files in the repo are current: what CI does with `mcps generate --check`. */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { parse } from "yaml";
import { ROOT, runCli } from "../support/cli.js";
import { composeSpecErrors } from "../support/compose-spec.js";

const files: Array<[string, string[]]> = [
  ["docker-compose.mcps.yml", []],
  ["docker-compose.dev.yml", ["--dev", "--customer", "vattenfall-de", "--out", "docker-compose.dev.yml"]],
];

for (const [file, args] of files) {
  test(`${file} is current and valid`, async () => {
    const r = await runCli(["generate", ...args, "--check"]);
    assert.equal(r.code, 0, `${r.stdout}${r.stderr}\nregenerate with: mcps generate ${args.join(" ")}`);
    const doc = parse(readFileSync(path.join(ROOT, file), "utf8"), { maxAliasCount: -1 });
    assert.deepEqual(composeSpecErrors(doc), []);
  });
}
