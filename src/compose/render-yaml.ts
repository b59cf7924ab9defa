/** Pure: compose document -> YAML text, via the yaml package (never string templates). */
import { Document, isMap, isSeq, Scalar, type Node, type YAMLMap, type YAMLSeq } from "yaml";
import { CONTAINER_PROBE_SOURCE } from "../health/container-probe.js";

export const PROBE_ANCHOR_KEY = "x-mcps-health-probe";

export interface RenderOptions {
  /** Comment lines for the top of the file. */
  header: string[];
}

/**
 * Every service's health check runs the same probe; an anchor writes its source once instead of
 * a thousand times. Compose resolves the alias, and the Compose Specification allows x- keys.
 */
function shareProbe(doc: Document): void {
  const services = doc.get("services") as YAMLMap | undefined;
  if (!isMap(services) || !services.items.length) return;
  const anchor = doc.createNode(CONTAINER_PROBE_SOURCE) as Scalar;
  anchor.anchor = "probe";
  for (const pair of services.items) {
    const test = (pair.value as YAMLMap).getIn(["healthcheck", "test"]) as YAMLSeq<Node> | undefined;
    if (!isSeq(test)) continue;
    test.items = test.items.map((item) =>
      item instanceof Scalar && item.value === CONTAINER_PROBE_SOURCE ? doc.createAlias(anchor) : item,
    );
  }
  (doc.contents as YAMLMap).items.unshift(doc.createPair(PROBE_ANCHOR_KEY, anchor));
}

export function renderYaml(document: Record<string, unknown>, opts: RenderOptions): string {
  const doc = new Document(document);
  shareProbe(doc);
  doc.commentBefore = opts.header.map((line) => ` ${line}`).join("\n");
  // Double-quoted strings read the same in YAML 1.1 (docker-compose v1) and 1.2: "no", "on" stay strings.
  return doc.toString({ lineWidth: 0, defaultStringType: "QUOTE_DOUBLE", defaultKeyType: "PLAIN" });
}
