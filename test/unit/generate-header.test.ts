/** The header of a generated file gives commands that work as written, for a file printed with --out - too. */
import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { test } from "node:test";
import { runCli } from "../support/cli.js";
import { fixtureCustomer, workspace } from "../support/workspace.js";

for (const target of ["compose", "swarm"]) {
  test(`${target}: a file printed with --out - says to redirect and diff, and that command agrees with it`, async () => {
    const dir = workspace({ customers: [fixtureCustomer("Acme")] });
    try {
      const args = ["generate", ...(target === "compose" ? [] : ["--target", target]), "--out", "-"];
      const printed = await runCli(args, { cwd: dir });
      assert.equal(printed.code, 0, printed.stderr);
      const header = printed.stdout.split("\n").slice(0, 2).join("\n");
      const command = `mcps ${args.join(" ")}`;
      assert.ok(header.includes(`Do not edit: run \`${command} > <this file>\`.`), header);
      assert.ok(header.includes(`CI: \`${command} | diff - <this file>\` exits 1`), header);
      // The advice holds: the same command prints the same bytes, so the diff is empty.
      assert.equal((await runCli(args, { cwd: dir })).stdout, printed.stdout);
      // And the command it replaces really does not work: --check has no file to compare with.
      assert.equal((await runCli([...args, "--check"], { cwd: dir })).code, 2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}
