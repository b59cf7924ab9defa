/**
 * Canary sweep (test/support/canary-sweep.ts) through the bin, as processes: what Node itself
 * might print (a warning, a crash) is searched too. A sample of the commands: the file commands,
 * an engine command that fails to reach the engine, and serve's start-up; every command runs
 * in-process in secrets-never-shown.test.ts.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { COMMANDS, sweepCommand } from "../support/canary-sweep.js";
import { runCliTimed } from "../support/run-async.js";

const SAMPLE = ["generate", "migrate --out -", "clients export --for vscode", "start acme --json --wait", "serve --listen 127.0.0.1:0"];
const sample = COMMANDS.filter((c) => SAMPLE.includes(c.args.join(" ")));

it("the sample names commands of the sweep", () => assert.equal(sample.length, SAMPLE.length));

for (const kind of ["clean", "dirty"] as const) {
  describe(`canary sweep, ${kind} config, whole process`, { concurrency: 4 }, () => {
    for (const cmd of sample) it(`mcps ${cmd.args.join(" ")}`, () => sweepCommand(kind, cmd, runCliTimed));
  });
}
