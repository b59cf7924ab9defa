import { createHash } from "node:crypto";

/**
 * JSON with object keys sorted, so a hash does not depend on property order. The definition:
 * arrays item by item (an undefined item leaves its slot empty), objects by their own enumerable
 * keys in code-unit order, undefined values left out, anything else as JSON.stringify writes it
 * (toJSON is not consulted: a Date is "{}").
 *
 * `memo` remembers the text of objects seen before, by identity: a plan shares its health checks,
 * hardening and networks between services, and the health check alone holds a 2 KB probe source,
 * so 3,000 config hashes then serialise it once. Pass one only while the objects stay unchanged.
 */
/** Keys repeat across thousands of services: quote each once. */
const quotedKeys = new Map<string, string>();
function quotedKey(key: string): string {
  let quoted = quotedKeys.get(key);
  if (quoted === undefined) {
    quoted = JSON.stringify(key);
    if (quotedKeys.size < 10_000) quotedKeys.set(key, quoted);
  }
  return quoted;
}

export function canonicalJson(value: unknown, memo?: WeakMap<object, string>): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  const known = memo?.get(value);
  if (known !== undefined) return known;
  let text: string;
  if (Array.isArray(value)) {
    text = "[";
    for (let i = 0; i < value.length; i++) text += (i ? "," : "") + (canonicalJson(value[i], memo) ?? "");
    text += "]";
  } else {
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record).sort();
    text = "{";
    for (const key of keys) {
      const v = record[key];
      if (v === undefined) continue;
      text += `${text.length > 1 ? "," : ""}${quotedKey(key)}:${canonicalJson(v, memo)}`;
    }
    text += "}";
  }
  memo?.set(value, text);
  return text;
}

export function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}
