/**
 * The hostile corpus: cases are data (test/hostile/*.yaml); this file gives their shape, loads them
 * and expands the few declared generators (huge or repetitive inputs are described, not stored).
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { parse } from "yaml";
import { ROOT } from "./cli.js";

export const CORPUS_DIR = path.join(ROOT, "test/hostile");

/**
 * A file's content: raw text (duplicate keys, BOMs and NULs are written as YAML escapes), a value
 * to JSON.stringify, bytes given as latin1 or base64 (non-UTF-8 input), or a generator.
 */
export type FileSpec =
  | string
  | { json: unknown }
  | { latin1: string }
  | { base64: string }
  | { gen: "customers"; count: number; types?: string[]; port_range?: [number, number] }
  | { gen: "template"; text: string; repeat: Record<string, [string, number]> };

export interface Expect {
  /** The exit code, or the codes that are all acceptable (where the spec lets the tool choose). */
  exit: number | number[];
  /** When rejected: fragments (JSON paths, file names) that must each appear in stderr. */
  paths?: string[];
  /** When accepted: fragments that must appear in stderr (warnings). */
  warn?: string[];
  /** When rejected: at least one stderr line has the `file:line:column: ` form. */
  lineCol?: boolean;
  /** Strings that must appear nowhere: stdout, stderr, any file in the sandbox afterwards. */
  absent?: string[];
  /** Sandbox paths allowed to change; default: the command's output when it exits 0. */
  writes?: string[];
  /** Host address every published port binds to (default 127.0.0.1). */
  bind?: string;
  /** Number of services in an accepted compose output. */
  services?: number;
  /** Label values that must come back exactly (YAML round trip of hostile strings). */
  labels?: string[];
  /** Fragments that must appear on stdout. */
  stdout?: string[];
  /** Host ports below 1024 are expected (pinned on purpose). */
  lowPorts?: boolean;
}

export interface HostileCase {
  name: string;
  /** The issue-6 bullet it encodes, or "extra: ..." for inputs beyond the issue's list. */
  spec: string;
  /** Why the expectation is what it is, where a reader could expect otherwise (e.g. it was changed). */
  why?: string;
  catalog?: "fixture" | "real" | "none";
  /** mcp_servers.json */
  config?: FileSpec;
  /** Any other file, by sandbox path (e.g. grafana_servers.json, mcps/alpha/mcp.yaml). */
  files?: Record<string, FileSpec>;
  remove?: string[];
  dirs?: string[];
  /** link path -> target (as written into the link). */
  symlinks?: Record<string, string>;
  /** new path -> existing path. */
  hardlinks?: Record<string, string>;
  fifos?: string[];
  /** Character devices (1,3: the same device as /dev/null), made inside the sandbox. */
  devices?: string[];
  sockets?: string[];
  /** path -> octal mode, applied last. */
  modes?: Record<string, string>;
  /** Run the CLI as this user (root ignores permissions, so permission cases need another uid). */
  user?: "nobody";
  /** The command line; "{sandbox}" stands for the sandbox's absolute path. */
  args: string[];
  env?: Record<string, string>;
  /** Run the same command this many times at once. */
  parallel?: number;
  timeoutMs?: number;
  expect: Expect;
}

function generateCustomers(g: { count: number; types?: string[]; port_range?: [number, number] }): string {
  const types = g.types ?? ["beta"];
  const customers = Array.from({ length: g.count }, (_, i) => ({
    name: `Customer ${i}`,
    mcp_servers: types.map((type) =>
      type === "beta"
        ? { type, config: { region: `eu-${i % 7}` } }
        : { type, config: { api_url: `https://c${i}.example.com`, token_env: `ALPHA_TOKEN_C${i}` } },
    ),
  }));
  const defaults = g.port_range ? { port_range: { from: g.port_range[0], to: g.port_range[1] } } : undefined;
  return JSON.stringify({ ...(defaults && { defaults }), customers });
}

export function fileBytes(spec: FileSpec): Buffer {
  if (typeof spec === "string") return Buffer.from(spec, "utf8");
  if ("json" in spec) return Buffer.from(JSON.stringify(spec.json, null, 2), "utf8");
  if ("latin1" in spec) return Buffer.from(spec.latin1, "latin1");
  if ("base64" in spec) return Buffer.from(spec.base64, "base64");
  if (spec.gen === "customers") return Buffer.from(generateCustomers(spec), "utf8");
  if (spec.gen === "template") {
    let text = spec.text;
    // "@i" in a unit becomes the repetition's index, so repeated keys can be distinct.
    for (const [key, [unit, times]] of Object.entries(spec.repeat)) {
      const expanded = unit.includes("@i") ? Array.from({ length: times }, (_, i) => unit.replaceAll("@i", String(i))).join("") : unit.repeat(times);
      text = text.replaceAll(`@@${key}@@`, expanded);
    }
    return Buffer.from(text, "utf8");
  }
  throw new Error(`unknown file spec ${JSON.stringify(spec)}`);
}

/** Every case of every corpus file, each name unique. */
export function loadCorpus(dir = CORPUS_DIR): Array<HostileCase & { source: string }> {
  const all: Array<HostileCase & { source: string }> = [];
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith(".yaml"))
    .sort()) {
    const cases = parse(readFileSync(path.join(dir, file), "utf8")) as HostileCase[];
    for (const c of cases) all.push({ ...c, source: file });
  }
  const names = new Set<string>();
  for (const c of all) {
    if (names.has(c.name)) throw new Error(`duplicate case name ${c.name}`);
    names.add(c.name);
  }
  return all;
}
