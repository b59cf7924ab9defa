/** generate and migrate refuse every --out that would harm an input or is not a regular file (in-process; the FIFO cases in cli-process-output-writes.test.ts). */
import assert from "node:assert/strict";
import { statSync } from "node:fs";
import { test } from "node:test";
import { runCli } from "../support/cli.js";
import { isFifoCase, REFUSED, refusalSandbox } from "../support/output-refusals.js";
import { assertRefused, snapshot } from "../support/output-sandbox.js";

test("every refused --out: exit 2, one line naming the path as typed, nothing changed", async (t) => {
  const { dir, close } = await refusalSandbox();
  try {
    const before = snapshot(dir);
    const devNull = statSync("/dev/null");
    for (const c of REFUSED.filter((c) => !isFifoCase(c))) {
      await t.test(`${(c.args ?? ["generate"]).join(" ")} --out ${c.out}`, async () => {
        const r = await runCli([...(c.args ?? ["generate"]), "--out", c.out], { cwd: dir, timeoutMs: 20_000 });
        assertRefused(r, c.out, c.reason);
        assert.deepEqual(snapshot(dir), before);
        const now = statSync("/dev/null");
        assert.ok(now.isCharacterDevice() && now.rdev === devNull.rdev, "/dev/null is still the device");
      });
    }
  } finally {
    close();
  }
});
