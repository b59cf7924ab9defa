/**
 * Block-style YAML for the plain data a compose service holds: maps, lists, strings, finite numbers,
 * booleans. Why not the yaml package here: it costs 5-7 us per key/value pair, which made a
 * 3,000-service file take most of a second; this writes the same structure in a fraction of that.
 * It is not a string template: values are never pasted into YAML text, every string is written
 * double-quoted with JSON escapes (a subset of YAML's double-quoted escapes, read alike by YAML 1.1
 * and 1.2), and test/unit/compose-emit.test.ts proves that the yaml package parses every emitted
 * block back to the very value it came from.
 */

/** Keys written plain: identifiers, dotted labels, service names. Anything else is quoted. */
const PLAIN_KEY = /^[A-Za-z_][\w./-]*$/;
/** YAML 1.1 (docker-compose v1) reads these bare words as booleans or null: quote them as keys too. */
const RESERVED = /^(?:y|n|yes|no|true|false|on|off|null)$/i;
/** Characters JSON leaves bare that YAML does not allow bare: C1 controls, DEL, BOM, line separators. */
const NOT_PRINTABLE = /[\u007f-\u009f\u2028\u2029\ufeff\ufffe\uffff]/g;

const ASCII = /^[\u0020-\u007e]*$/;

export function quote(text: string): string {
  const json = JSON.stringify(text);
  return ASCII.test(text) ? json : json.replace(NOT_PRINTABLE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

const key = (k: string) => (PLAIN_KEY.test(k) && !RESERVED.test(k) ? k : quote(k));

export interface EmitOptions {
  /** A string value written as an alias instead (`*name`), e.g. the shared probe source. */
  alias?: { value: string; name: string; onUse(): void };
  /**
   * Text already written for a map or list, by identity and indentation: services share their type's
   * blocks (health check, limits, hardening) as the same objects, so each is written once and its
   * text repeated. Only for data that stays unchanged while the cache lives. A Map, dropped after the
   * render, not a WeakMap: weak entries for every block of 3,000 services cost the GC more than they save.
   */
  written?: Map<object, { pad: string; text: string }>;
}

function scalar(value: unknown, opts: EmitOptions): string {
  if (typeof value === "string") {
    if (opts.alias && value === opts.alias.value) {
      opts.alias.onUse();
      return `*${opts.alias.name}`;
    }
    return quote(value);
  }
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  if (typeof value === "boolean") return String(value);
  if (value === null || value === undefined) return "";
  throw new TypeError(`cannot write ${typeof value} to YAML`);
}

const isBlock = (v: unknown): v is object => typeof v === "object" && v !== null;
const isEmpty = (v: object) => (Array.isArray(v) ? v.length === 0 : Object.keys(v).length === 0);

/** A value after `key:` or `- `: inline when scalar or empty, else on the following lines. */
function after(value: unknown, pad: string, opts: EmitOptions): string {
  if (!isBlock(value)) {
    const text = scalar(value, opts);
    return text === "" ? "\n" : ` ${text}\n`;
  }
  if (isEmpty(value)) return Array.isArray(value) ? " []\n" : " {}\n";
  const known = opts.written?.get(value);
  if (known && known.pad === pad) return known.text;
  const text = `\n${emitBlock(value, pad, opts)}`;
  opts.written?.set(value, { pad, text });
  return text;
}

/** `value` (a map or a list) as block YAML, every line starting with `pad`. */
export function emitBlock(value: object, pad: string, opts: EmitOptions = {}): string {
  let out = "";
  if (Array.isArray(value)) {
    for (const item of value) {
      if (isBlock(item) && !Array.isArray(item) && !isEmpty(item)) {
        // A map in a list: its first line follows the dash, the rest align under it.
        const lines = emitBlock(item, `${pad}  `, opts);
        out += `${pad}- ${lines.slice(pad.length + 2)}`;
      } else out += `${pad}-${after(item, `${pad}  `, opts)}`;
    }
    return out;
  }
  for (const [k, v] of Object.entries(value)) {
    if (v === undefined) continue;
    const written = key(k);
    // YAML caps implicit keys at 1024 characters; a longer one needs the explicit "? key" form.
    const lead = written.length > 1000 ? `${pad}? ${written}\n${pad}` : `${pad}${written}`;
    out += `${lead}:${after(v, `${pad}  `, opts)}`;
  }
  return out;
}
