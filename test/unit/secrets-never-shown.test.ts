/**
 * Canary sweep (test/support/canary-sweep.ts), every command in-process: planted secrets appear in
 * no output and no file written, for a clean and a dirty config. A sample runs through the bin in
 * cli-process-secrets-never-shown.test.ts.
 */
import { describe, it } from "node:test";
import { COMMANDS, sweepCommand } from "../support/canary-sweep.js";
import { runMainTimed } from "../support/run-async.js";

for (const kind of ["clean", "dirty"] as const) {
  describe(`canary sweep, ${kind} config, in-process`, () => {
    for (const cmd of COMMANDS) it(`mcps ${cmd.args.join(" ")}`, () => sweepCommand(kind, cmd, runMainTimed));
  });
}
