/** Pure: compose document -> YAML text, via the yaml package (never string templates). */
import { Document, isAlias, isMap, isScalar, isSeq, Scalar, visit, type Node, type YAMLMap } from "yaml";
import { CONTAINER_PROBE_SOURCE } from "../health/container-probe.js";

export const PROBE_ANCHOR_KEY = "x-mcps-health-probe";

export interface RenderOptions {
  /** Comment lines for the top of the file. */
  header: string[];
}

/**
 * Every type's health check runs the same probe; an anchor writes its source once.
 * Compose resolves the alias, and the Compose Specification allows x- keys.
 */
function shareProbe(doc: Document): void {
  let anchor: Scalar | undefined;
  visit(doc, {
    Scalar(_key, node) {
      if (node.value !== CONTAINER_PROBE_SOURCE) return undefined;
      if (!anchor) {
        anchor = doc.createNode(CONTAINER_PROBE_SOURCE) as Scalar;
        anchor.anchor = "probe";
      }
      return doc.createAlias(anchor);
    },
  });
  if (anchor) (doc.contents as YAMLMap).items.unshift(doc.createPair(PROBE_ANCHOR_KEY, anchor));
}

/** yaml names shared values a1, a2...; name them after their key and, when one type uses them, that type. */
function nameAnchors(doc: Document): void {
  const services = doc.get("services") as YAMLMap | undefined;
  if (!isMap(services)) return;
  // One pass to index anchors: Alias.resolve searches the whole document on every call.
  const anchored = new Map<string, Node>();
  visit(doc, (_key, node) => {
    if ((isMap(node) || isSeq(node) || isScalar(node)) && node.anchor) anchored.set(node.anchor, node);
  });
  const users = new Map<Node, { key: string; types: Set<string> }>();
  for (const pair of services.items) {
    const svc = pair.value as YAMLMap;
    const type = String(svc.getIn(["labels", "mcps.type"]) ?? "");
    for (const { key, value } of svc.items) {
      const target = isAlias(value) ? anchored.get(value.source) : value;
      if (!target || !(target as Node).anchor) continue;
      const entry = users.get(target as Node) ?? { key: String(isScalar(key) ? key.value : key), types: new Set() };
      entry.types.add(type);
      users.set(target as Node, entry);
    }
  }
  const taken = new Set<string>();
  const renamed = new Map<string, string>();
  for (const [node, { key, types }] of users) {
    const base = types.size === 1 ? `${[...types][0]}-${key}` : key;
    let name = base;
    for (let i = 2; taken.has(name); i++) name = `${base}-${i}`;
    taken.add(name);
    renamed.set(node.anchor!, name);
    node.anchor = name;
  }
  visit(doc, { Alias: (_k, alias) => void (alias.source = renamed.get(alias.source) ?? alias.source) });
}

export function renderYaml(document: Record<string, unknown>, opts: RenderOptions): string {
  const doc = new Document(document, { aliasDuplicateObjects: true, anchorPrefix: "shared" });
  nameAnchors(doc);
  shareProbe(doc);
  doc.commentBefore = opts.header.map((line) => ` ${line}`).join("\n");
  // Double-quoted strings read the same in YAML 1.1 (docker-compose v1) and 1.2: "no", "on" stay strings.
  return doc.toString({ lineWidth: 0, defaultStringType: "QUOTE_DOUBLE", defaultKeyType: "PLAIN" });
}
