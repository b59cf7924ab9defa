/** Examples the README gives a new user, run as written (issue: "every README example runnable as written"). */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { ROOT, runCli } from "../support/cli.js";

const readme = readFileSync(path.join(ROOT, "README.md"), "utf8");

/** The first fenced block of `lang` after `heading`. */
function blockAfter(heading: string, lang: string): string {
  const at = readme.indexOf(heading);
  assert.ok(at >= 0, `README has "${heading}"`);
  const m = readme.slice(at).match(new RegExp("```" + lang + "\\n([\\s\\S]*?)```"));
  assert.ok(m?.[1], `a ${lang} block after "${heading}"`);
  return m[1];
}

test("the README's legacy grafana_servers.json shape, copied literally, migrates", async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "mcps-readme-"));
  try {
    const file = path.join(dir, "grafana_servers.json");
    writeFileSync(file, blockAfter("### The older grafana_servers.json", "json"));
    const r = await runCli(["migrate", "--from", file, "--out", "-"], { cwd: ROOT });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).customers[0].mcp_servers[0].type, "grafana");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("the README's migrate examples run in a checkout: the shipped sample converts, to stdout and to a file again and again", async () => {
  const lines = readme.split("\n").filter((l) => l.startsWith("mcps migrate "));
  assert.ok(lines.length >= 2, "the README shows migrate");
  for (const line of lines) {
    const args = line.replace(/#.*$/, "").trim().split(/\s+/).slice(1);
    const out = args[args.indexOf("--out") + 1];
    for (const round of [1, 2]) {
      const r = await runCli(args);
      assert.equal(r.code, 0, `${line} (run ${round}): ${r.stderr}`);
      if (out === "-") assert.equal(JSON.parse(r.stdout).customers.length, 2);
    }
    if (out && out !== "-") {
      assert.equal(JSON.parse(readFileSync(path.join(ROOT, out), "utf8")).customers.length, 2);
      rmSync(path.join(ROOT, out));
    }
  }
});
