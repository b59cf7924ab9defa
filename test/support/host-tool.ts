/**
 * Host tools a unit test reads our output with (docker-compose v1). Outside CI a missing tool
 * skips the test with a loud notice; under CI=true (.ci/run installs them) it is a failure, so a
 * check CI relies on can never pass by not running. Same rule as requireEngine and launchBrowser.
 */
import { spawnSync } from "node:child_process";
import type { TestContext } from "node:test";

/** True when `command args...` runs and exits 0. */
export function toolRuns(command: string, args: string[]): boolean {
  return spawnSync(command, args, { stdio: "ignore", timeout: 30_000 }).status === 0;
}

/** Returns false (and skips) when the tool is missing here; throws under CI. */
export function requireTool(t: TestContext, present: boolean, tool: string, install: string): boolean {
  if (present) return true;
  if (process.env.CI) throw new Error(`CI=true but ${tool} is missing (${install})`);
  const notice = `NO ${tool}: skipping a check that needs it (${install}, or run under CI=true to make this a failure)`;
  process.stderr.write(`\n!!! ${notice}\n`);
  t.skip(notice);
  return false;
}
