/**
 * Output writes where the process is the point: several processes racing on one --out each leave
 * a whole file and no temp file, and a FIFO as --out is refused without being opened (a run that
 * opened it would block until killed, so each runs as a process under a time limit).
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { parse } from "yaml";
import { runCliProcess, runCliProcessAsync } from "../support/cli.js";
import { isFifoCase, REFUSED, refusalSandbox } from "../support/output-refusals.js";
import { assertRefused, snapshot } from "../support/output-sandbox.js";
import { fixtureCustomer, inWorkspace } from "../support/workspace.js";

const config = { customers: [fixtureCustomer("Acme"), fixtureCustomer("Globex")] };
const inSandbox = (body: (dir: string) => void | Promise<void>) => inWorkspace(config, body);
const read = (dir: string, f: string) => readFileSync(path.join(dir, f), "utf8");

test(
  "two generate runs at once on the same --out each leave a whole file and no temp file",
  inSandbox(async (dir) => {
    const runs = await Promise.all(
      ["acme", "globex", "acme", "globex", "acme", "globex"].map((c) =>
        runCliProcessAsync(["generate", "--out", "same.yml", "--customer", c], { cwd: dir }),
      ),
    );
    for (const r of runs) assert.equal(r.code, 0, r.stderr);
    const text = read(dir, "same.yml");
    assert.ok(text.endsWith("\n") && text.length > 500, "a whole file");
    const services = Object.keys(parse(text).services).sort();
    assert.ok(
      JSON.stringify(services) === JSON.stringify(["mcp-alpha-acme", "mcp-beta-acme"]) ||
        JSON.stringify(services) === JSON.stringify(["mcp-alpha-globex", "mcp-beta-globex"]),
      `one run's whole file, got ${services.join(", ")}`,
    );
    assert.deepEqual(
      readdirSync(dir).filter((f) => f.endsWith(".tmp")),
      [],
    );
  }),
);

test("a FIFO as --out: exit 2, one line naming the path as typed, nothing changed, no hang", async (t) => {
  const { dir, close } = await refusalSandbox();
  try {
    const before = snapshot(dir);
    const fifoCases = REFUSED.filter(isFifoCase);
    assert.ok(fifoCases.length >= 3, "generate, generate --check and migrate onto the FIFO");
    for (const c of fifoCases) {
      await t.test(`${(c.args ?? ["generate"]).join(" ")} --out ${c.out}`, () => {
        // A hang on the FIFO ends in the kill (exit -1), not in a pass.
        const r = runCliProcess([...(c.args ?? ["generate"]), "--out", c.out], { cwd: dir, timeoutMs: 20_000 });
        assertRefused(r, c.out, c.reason);
        assert.deepEqual(snapshot(dir), before);
        assert.ok(statSync(path.join(dir, c.out)).isFIFO());
      });
    }
  } finally {
    close();
  }
});
