/**
 * `mcps generate` in this process, for tests about config and manifest rules rather than about the
 * process: the command function runs on a workspace by absolute paths, and a refusal comes back as
 * the lines the CLI prints, with the workspace prefix removed so they read as they do with
 * cwd = workspace. The whole-CLI path (exit code, stderr, no stack trace) keeps its own few cases.
 */
import path from "node:path";
import { oneLine } from "../../src/cli-exit.js";
import { generate } from "../../src/commands/generate.js";
import { ConfigError } from "../../src/errors.js";

export interface Refusal {
  /** One per problem, as `mcps generate` prints them on stderr. */
  lines: string[];
}

/** The default inputs and output of a workspace made by workspace(). */
export const workspaceFiles = (dir: string) => ({
  config: path.join(dir, "mcp_servers.json"),
  catalog: path.join(dir, "mcps"),
  out: path.join(dir, "docker-compose.mcps.yml"),
});

/** Runs generate and expects it to refuse the input as bad input (what the CLI turns into exit 2). */
export async function generateRefusal(dir: string): Promise<Refusal> {
  try {
    await generate({ ...workspaceFiles(dir), customers: [] });
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    const prefix = `${dir}${path.sep}`;
    // oneLine: the CLI's own escaping of control characters, so "one line per problem" means the same here.
    return { lines: e.lines().map((l) => oneLine(l.replaceAll(prefix, ""))) };
  }
  throw new Error(`generate accepted the input in ${dir}`);
}
