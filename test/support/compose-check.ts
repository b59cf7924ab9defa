/**
 * What every accepted compose output must be, whatever the input: parseable, hardened, limited,
 * bound where intended, DNS-safe names, unique host ports, and no `$` that compose would expand
 * other than the intended references (`${UPPER_VAR}` as an environment value, `${BASE_IMAGE:-x}`
 * as the BASE_IMAGE build argument). Returns problems as text; empty means the output is safe.
 */
import { parse } from "yaml";

export interface ComposeCheckOptions {
  bind: string;
  /** --dev: no restart policy on purpose. */
  dev: boolean;
  lowPorts: boolean;
}

const DNS_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const SECRET_REF = /^\$\{[A-Z_][A-Z0-9_]*\}$/;
const BASE_IMAGE_REF = /^\$\{BASE_IMAGE:-[^${}\s]+\}$/;
/** Compose (go-units RAMInBytes) memory notation. */
const COMPOSE_MEMORY = /^(\d+(?:\.\d+)?) ?([kmgtp])?i?b?$/i;
const MIB = 1024 * 1024;
/** Keys that would widen what a container may do; mcps never writes them. */
const FORBIDDEN = [
  "privileged",
  "cap_add",
  "network_mode",
  "pid",
  "ipc",
  "devices",
  "userns_mode",
  "env_file",
  "volumes_from",
  "extra_hosts",
  "sysctls",
];

/** Positions of `$` that compose would treat as interpolation (a `$$` pair is a literal `$`). */
export function unescapedDollars(text: string): number[] {
  const at: number[] = [];
  for (let i = 0; i < text.length; i++) {
    if (text[i] !== "$") continue;
    if (text[i + 1] === "$") i++;
    else at.push(i);
  }
  return at;
}

function memoryBytes(value: unknown): number | undefined {
  if (typeof value === "number") return value;
  const m = typeof value === "string" ? COMPOSE_MEMORY.exec(value) : null;
  if (!m) return undefined;
  const unit = { k: 1, m: 2, g: 3, t: 4, p: 5 }[(m[2] ?? "").toLowerCase()] ?? 0;
  return Number(m[1]) * 1024 ** unit;
}

function checkDollars(value: unknown, at: string[], problems: string[]): void {
  if (typeof value === "string") {
    if (!unescapedDollars(value).length) return;
    const inEnv = at.length === 4 && at[0] === "services" && at[2] === "environment";
    const inBaseArg = at.length === 5 && at[2] === "build" && at[3] === "args" && at[4] === "BASE_IMAGE";
    if ((inEnv && SECRET_REF.test(value)) || (inBaseArg && BASE_IMAGE_REF.test(value))) return;
    problems.push(`${at.join(".")}: compose would interpolate ${JSON.stringify(value.slice(0, 80))}`);
  } else if (Array.isArray(value)) for (const [i, v] of value.entries()) checkDollars(v, [...at, String(i)], problems);
  else if (value && typeof value === "object") for (const [k, v] of Object.entries(value)) checkDollars(v, [...at, k], problems);
}

function checkService(name: string, s: any, opts: ComposeCheckOptions, ports: Map<number, string>, problems: string[]): void {
  const p = (m: string) => problems.push(`services.${name}: ${m}`);
  if (!DNS_LABEL.test(name)) p("service name is not a DNS label of at most 63 characters");
  if (typeof s.container_name !== "string" || !DNS_LABEL.test(s.container_name))
    p(`container_name ${JSON.stringify(s.container_name)} is not a DNS label of at most 63 characters`);
  if (!Array.isArray(s.cap_drop) || !s.cap_drop.includes("ALL")) p("cap_drop lacks ALL");
  if (!Array.isArray(s.security_opt) || !s.security_opt.some((o: unknown) => /^no-new-privileges(:true)?$/.test(String(o))))
    p("no no-new-privileges");
  if (s.init !== true) p("init is not true");
  if (!Number.isInteger(s.pids_limit) || s.pids_limit < 1) p(`pids_limit ${JSON.stringify(s.pids_limit)}`);
  const limits = s.deploy?.resources?.limits ?? {};
  const mem = memoryBytes(limits.memory);
  if (mem === undefined || mem < 6 * MIB) p(`memory limit ${JSON.stringify(limits.memory)} is missing, malformed or below 6 MiB`);
  if (!(Number(limits.cpus) >= 0.01)) p(`cpus limit ${JSON.stringify(limits.cpus)} is missing or below 0.01`);
  if (!opts.dev && !["always", "unless-stopped", "on-failure"].includes(s.restart)) p(`restart ${JSON.stringify(s.restart)}`);
  if (s.build && s.image && !s.pull_policy) p("build and image without pull_policy");
  for (const key of FORBIDDEN) if (key in s) p(`carries ${key}`);
  if (s.read_only !== true) p("the root filesystem is not read-only");
  if (typeof s.user !== "string" || /^(?:0|root)(?::|$)/.test(s.user)) p(`user ${JSON.stringify(s.user)} is missing or root`);
  // The only volumes mcps writes: tmpfs scratch folders (in memory, nothing from the host).
  for (const v of Array.isArray(s.volumes) ? s.volumes : s.volumes === undefined ? [] : [s.volumes]) {
    const keys = v && typeof v === "object" ? Object.keys(v).sort().join(",") : "";
    if (v?.type !== "tmpfs" || !["target,tmpfs,type", "target,type"].includes(keys)) p(`carries a volume that is not a tmpfs: ${JSON.stringify(v)}`);
  }
  for (const port of Array.isArray(s.ports) ? s.ports : [undefined]) {
    const m = typeof port === "string" ? /^(.*):(\d+):(\d+)$/.exec(port) : null;
    if (!m) {
      p(`port ${JSON.stringify(port)} is not bind:host:container`);
      continue;
    }
    const host = Number(m[2]);
    if (m[1] !== opts.bind && m[1] !== `[${opts.bind}]`) p(`port ${port} does not bind ${opts.bind}`);
    if (host < (opts.lowPorts ? 1 : 1024) || host > 65535) p(`host port ${host} is outside ${opts.lowPorts ? 1 : 1024}-65535`);
    const other = ports.get(host);
    if (other) p(`host port ${host} is also published by ${other}`);
    ports.set(host, name);
  }
}

export function composeProblems(text: string, opts: ComposeCheckOptions): { doc?: any; problems: string[] } {
  let doc: any;
  try {
    doc = parse(text, { maxAliasCount: -1, merge: true });
  } catch (e) {
    return { problems: [`output is not YAML: ${(e as Error).message.split("\n")[0]}`] };
  }
  const problems: string[] = [];
  if (!doc || typeof doc !== "object" || Array.isArray(doc)) return { problems: ["output is not a YAML mapping"] };
  for (const key of Object.keys(doc))
    if (!["services", "networks", "name"].includes(key) && !key.startsWith("x-")) problems.push(`unexpected top-level key ${JSON.stringify(key)}`);
  const services = doc.services ?? {};
  const ports = new Map<number, string>();
  for (const [name, s] of Object.entries(services)) checkService(name, s, opts, ports, problems);
  checkDollars(doc, [], problems);
  return { doc, problems };
}

/** Label values as a user wrote them (compose reads `$$` as `$`). */
export function labelValues(doc: any): Set<string> {
  const values = new Set<string>();
  for (const s of Object.values(doc?.services ?? {}) as any[])
    for (const v of Object.values(s?.labels ?? {})) values.add(String(v).replaceAll("$$", "$"));
  return values;
}
