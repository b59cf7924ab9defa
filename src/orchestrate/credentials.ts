/**
 * Secret values, resolved at start from the environment and an optional env file (the
 * environment wins, as with compose). Values go to the engine only; we only ever print names.
 */
import { readFile } from "node:fs/promises";
import type { EnvEntry } from "../plan/types.js";

export type Lookup = (name: string) => string | undefined;

/** KEY=VALUE lines; # comments; optional "export "; single or double quotes around the value. */
export function parseEnvFile(text: string): Map<string, string> {
  const vars = new Map<string, string>();
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith("#")) continue;
    const m = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
    if (!m) continue;
    let value = m[2]!;
    const quoted = /^(['"])(.*)\1$/.exec(value);
    value = quoted ? quoted[2]! : value.replace(/\s+#.*$/, "");
    vars.set(m[1]!, value);
  }
  return vars;
}

export async function credentialLookup(envFile: string | undefined, env: NodeJS.ProcessEnv = process.env): Promise<Lookup> {
  let fromFile = new Map<string, string>();
  if (envFile) {
    try {
      fromFile = parseEnvFile(await readFile(envFile, "utf8"));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
    }
  }
  return (name) => env[name] ?? fromFile.get(name);
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
