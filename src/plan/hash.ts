import { createHash } from "node:crypto";

/** The reference definition: JSON with object keys sorted, so a hash does not depend on property order. */
function canonicalJsonSlow(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJsonSlow).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJsonSlow(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

const INDEX_LIKE = /^(?:0|[1-9][0-9]*)$/;

/**
 * The same text through the native JSON.stringify (a plan hash for 3,000 services took a tenth of a
 * second the slow way). Native output differs from the definition only where JS itself orders or
 * converts differently: index-like keys (always enumerated first), undefined array items, objects
 * that are not plain (toJSON, class instances). Those make the replacer give up, and the slow path runs.
 */
export function canonicalJson(value: unknown): string {
  let unusual = false;
  const text = JSON.stringify(value, function (this: Record<string, unknown>, key: string, v: unknown) {
    if (this[key] !== v) unusual = true; // a toJSON() ran: the definition ignores it
    if (v === null || typeof v !== "object") return v;
    if (Array.isArray(v)) {
      if (v.includes(undefined)) unusual = true;
      return v;
    }
    const proto = Object.getPrototypeOf(v);
    if (proto !== Object.prototype && proto !== null) unusual = true;
    const keys = Object.keys(v);
    let sorted = true;
    for (let i = 0; i < keys.length; i++) {
      if (INDEX_LIKE.test(keys[i]!)) unusual = true;
      if (i && keys[i - 1]! > keys[i]!) sorted = false;
    }
    if (sorted || unusual) return v;
    const out: Record<string, unknown> = {};
    for (const k of keys.sort()) out[k] = (v as Record<string, unknown>)[k];
    return out;
  });
  return unusual ? canonicalJsonSlow(value) : text;
}

export function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}
