/**
 * Pure: compose document -> YAML text, via the yaml package (never string templates).
 *
 * Every service is written out in full: no anchors or merge keys, so a service reads, greps and
 * diffs on its own. A 1,000-customer file has 3,000 services, and stringifying them as one document
 * costs most of a second; so each service is stringified in parts: its own fields, then the blocks
 * it usually shares with its customer's services (profiles, networks) and with its type's (build,
 * limits, health check, hardening), each stringified once per distinct value and its text reused.
 * All are block mappings at the same indentation, so their lines simply follow one another.
 *
 * One anchor stays: the health probe's source (about 2 KB, identical in every service) is written
 * once under x-mcps-health-probe and aliased from each healthcheck; inlined, it would make up more
 * than half of a large file. Compose resolves the alias, and the specification allows x- keys.
 */
import { Alias, Document, Scalar, type ToStringOptions } from "yaml";
import { CONTAINER_PROBE_SOURCE } from "../health/container-probe.js";
import { escapeDollar } from "./interpolation.js";

export const PROBE_ANCHOR_KEY = "x-mcps-health-probe";
const PROBE_ANCHOR = "mcps-health-probe";

export interface RenderOptions {
  /** Comment lines for the top of the file. */
  header: string[];
}

/**
 * Service fields that usually repeat, in groups written after the service's own fields: those of
 * one customer, then those of one type. Each group is stringified once per distinct value.
 */
const SHARED_GROUPS: ReadonlyArray<ReadonlySet<string>> = [
  new Set(["profiles", "networks"]),
  new Set(["build", "pull_policy", "command", "deploy", "pids_limit", "healthcheck", "restart", "init", "security_opt", "cap_drop", "logging"]),
];

const TO_STRING: ToStringOptions = {
  // Double-quoted strings read the same in YAML 1.1 (docker-compose v1) and 1.2: "no", "on" stay strings.
  defaultStringType: "QUOTE_DOUBLE",
  defaultKeyType: "PLAIN",
  // One line per scalar (newlines stay escaped): every output line is a line of structure,
  // which is what lets blocks be indented and joined, and keeps the file greppable.
  lineWidth: 0,
  doubleQuotedMinMultiLineLength: Number.MAX_SAFE_INTEGER,
  // Key-only pairs ("services:") carry their block on the following lines.
  nullStr: "",
  // The probe anchor is defined in the file's first block, not in the fragment that aliases it.
  verifyAliasOrder: false,
  directives: false,
};

/** Stringifies fragments with one reused Document (its schema is built once). */
class Fragments {
  private readonly doc = new Document(null);
  private readonly cache = new Map<string, string>();
  private readonly probe = escapeDollar(CONTAINER_PROBE_SOURCE);
  private readonly alias = new Alias(PROBE_ANCHOR);
  usedProbe = false;

  /** `value` as YAML, every line indented by `depth` levels of two spaces. */
  render(value: unknown, depth: number): string {
    this.doc.contents = this.doc.createNode(value, (_key, v) => (v === this.probe ? this.useProbe() : v), { aliasDuplicateObjects: false });
    const text = this.doc.toString(TO_STRING);
    return depth ? text.replace(/^(?=.)/gm, "  ".repeat(depth)) : text;
  }

  /**
   * The same for a map whose field values repeat across calls, remembered by those values: objects
   * by identity (composeDocument hands equal blocks out as one object), primitives by value. A
   * caller passing equal but distinct objects only misses the cache; the text is the same.
   */
  cached(fields: Record<string, unknown>, depth: number): string {
    let key = String(depth);
    for (const [name, value] of Object.entries(fields)) key += `\n${name}=${value !== null && typeof value === "object" ? `#${this.idOf(value)}` : JSON.stringify(value)}`;
    let text = this.cache.get(key);
    if (text === undefined) this.cache.set(key, (text = this.render(fields, depth)));
    return text;
  }

  private readonly ids = new WeakMap<object, number>();
  private idOf(value: object): number {
    let id = this.ids.get(value);
    if (id === undefined) this.ids.set(value, (id = this.ids_next++));
    return id;
  }
  private ids_next = 0;

  private useProbe(): Alias {
    this.usedProbe = true;
    return this.alias;
  }

  /** The file's first lines: the header comment, the probe anchor if any service used it, then `services:`. */
  head(header: string[]): string {
    const head = new Document(null);
    const anchor = new Scalar(this.probe);
    anchor.anchor = PROBE_ANCHOR;
    head.contents = head.createNode({ ...(this.usedProbe && { [PROBE_ANCHOR_KEY]: anchor }), services: null });
    head.commentBefore = header.map((line) => ` ${line}`).join("\n");
    return head.toString(TO_STRING);
  }
}

function renderService(f: Fragments, name: string, svc: Record<string, unknown>): string {
  const own: Record<string, unknown> = {};
  const shared = SHARED_GROUPS.map(() => ({}) as Record<string, unknown>);
  for (const [key, value] of Object.entries(svc)) {
    const group = SHARED_GROUPS.findIndex((g) => g.has(key));
    (group < 0 ? own : shared[group]!)[key] = value;
  }
  let text = Object.keys(own).length ? f.render({ [name]: own }, 1) : f.render({ [name]: null }, 1);
  for (const fields of shared) if (Object.keys(fields).length) text += f.cached(fields, 2);
  return text;
}

export function renderYaml(document: Record<string, unknown>, opts: RenderOptions): string {
  const f = new Fragments();
  const { services, ...rest } = document as { services?: Record<string, Record<string, unknown>> };
  if (!services || !Object.keys(services).length) {
    // Nothing to share or split: one document, written whole.
    const doc = new Document(document);
    doc.commentBefore = opts.header.map((line) => ` ${line}`).join("\n");
    return doc.toString(TO_STRING);
  }
  const body = Object.keys(services).map((name) => renderService(f, name, services[name]!));
  const tail = Object.keys(rest).length ? f.render(rest, 0) : "";
  return f.head(opts.header) + body.join("") + tail;
}
