/**
 * Pure: compose document -> YAML text. Never string templates: the head (comments, the anchor) is
 * written by the yaml package, the services by emit-block.ts, which quotes every string (see there
 * why, and the round-trip test that holds it to the yaml package's reading).
 *
 * Every service is written out in full: no anchors or merge keys, so a service reads, greps and
 * diffs on its own.
 *
 * One anchor stays: the health probe's source (about 2 KB, identical in every service) is written
 * once under x-mcps-health-probe and aliased from each healthcheck; inlined, it would make up more
 * than half of a large file. Compose resolves the alias, and the specification allows x- keys.
 */
import { Document, Scalar, type ToStringOptions } from "yaml";
import { CONTAINER_PROBE_SOURCE } from "../health/container-probe.js";
import { emitBlock } from "./emit-block.js";
import { escapeDollar } from "./interpolation.js";

const PROBE_ANCHOR_KEY = "x-mcps-health-probe";
const PROBE_ANCHOR = "mcps-health-probe";

export interface RenderOptions {
  /** Comment lines for the top of the file. */
  header: string[];
}

const TO_STRING: ToStringOptions = {
  // Double-quoted strings read the same in YAML 1.1 (docker-compose v1) and 1.2: "no", "on" stay strings.
  defaultStringType: "QUOTE_DOUBLE",
  defaultKeyType: "PLAIN",
  lineWidth: 0,
  doubleQuotedMinMultiLineLength: Number.MAX_SAFE_INTEGER,
  // Key-only pairs ("services:") carry their block on the following lines.
  nullStr: "",
  directives: false,
};

/** The file's first lines, via the yaml package: the header comment, the probe anchor if used, then `services:`. */
function head(header: string[], probe: string | undefined): string {
  const doc = new Document(null);
  const anchor = probe === undefined ? undefined : new Scalar(probe);
  if (anchor) anchor.anchor = PROBE_ANCHOR;
  doc.contents = doc.createNode({ ...(anchor && { [PROBE_ANCHOR_KEY]: anchor }), services: null });
  doc.commentBefore = header.map((line) => ` ${line}`).join("\n");
  return doc.toString(TO_STRING);
}

export function renderYaml(document: Record<string, unknown>, opts: RenderOptions): string {
  const { services, ...rest } = document as { services?: Record<string, object> };
  if (!services || !Object.keys(services).length) {
    // Nothing to share: one document, written whole.
    const doc = new Document(document);
    doc.commentBefore = opts.header.map((line) => ` ${line}`).join("\n");
    return doc.toString(TO_STRING);
  }
  const probe = escapeDollar(CONTAINER_PROBE_SOURCE);
  let usedProbe = false;
  const alias = {
    value: probe,
    name: PROBE_ANCHOR,
    onUse: () => {
      usedProbe = true;
    },
  };
  const body = emitBlock(services, "  ", { alias, written: new Map() });
  const tail = Object.keys(rest).length ? emitBlock(rest, "") : "";
  return head(opts.header, usedProbe ? probe : undefined) + body + tail;
}
