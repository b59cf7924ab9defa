/**
 * Secret values, resolved at start from the environment and an optional env file (the
 * environment wins, as with compose). Values go to the engine only; we only ever print names.
 */
import path from "node:path";
import { parseDotenv } from "../config/dotenv.js";
import { ConfigError } from "../errors.js";
import { readInput } from "../io/read-input.js";
import type { EnvEntry } from "../plan/types.js";

export type Lookup = ((name: string) => string | undefined) & {
  /** Where a missing variable can be set, for the "missing variable" message. */
  where?: string;
};

/** Where the credentials file is when the config names none: beside the config. */
export function defaultCredentialsFile(config: string): string {
  return path.join(path.dirname(config), "mcp_credentials.env");
}

/**
 * The environment wins over the file, as with compose. A file the user named (`namedBy`: the option
 * or config key that named it) must exist; the default one may be missing (everything may come from
 * the environment), and the "missing variable" message then says so. A FIFO or folder is never read.
 */
export async function credentialLookup(envFile: string | undefined, env: NodeJS.ProcessEnv = process.env, namedBy?: string): Promise<Lookup> {
  const text = envFile ? await readInput(envFile) : undefined;
  if (envFile && text === undefined && namedBy)
    throw new ConfigError([{ file: envFile, path: "", message: `not found (the credentials file named by ${namedBy})` }]);
  const fromFile = text === undefined ? new Map<string, string>() : parseDotenv(text, env);
  const lookup: Lookup = (name) => env[name] ?? fromFile.get(name);
  lookup.where =
    envFile === undefined
      ? "the environment"
      : text === undefined
        ? `the environment or ${envFile} (which does not exist)`
        : `the environment or ${envFile}`;
  return lookup;
}

/** The container environment, or the names of the variables that are not set. */
export function resolveEnv(entries: EnvEntry[], lookup: Lookup): { env: Record<string, string>; missing: string[] } {
  const env: Record<string, string> = {};
  const missing: string[] = [];
  for (const e of entries) {
    if ("value" in e) env[e.name] = e.value;
    else {
      const value = lookup(e.fromVar);
      if (value === undefined || value === "") missing.push(e.fromVar);
      else env[e.name] = value;
    }
  }
  return { env, missing };
}
