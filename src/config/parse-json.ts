/**
 * A strict JSON reader of our own. JSON.parse lets the last duplicate key win silently and its error
 * messages quote the text around the fault (a pasted token, say); this reader rejects every
 * duplicate key with its JSON path, and its syntax errors say where and what, never the content.
 * Objects it builds hold `__proto__` as an own data property, so no key can reach a prototype.
 */
import type { Problem } from "../errors.js";
import { jsonPath } from "./zod-problems.js";

export type JsonResult =
  | { ok: true; value: unknown }
  /**
   * value is there when only duplicate keys (first occurrence kept) or out-of-range numbers (kept as
   * ±Infinity) were found, so checks can go on; `outOfRange` lists the paths of the latter, whose
   * schema problems would only repeat this one.
   */
  | { ok: false; problem: Problem; problems: Problem[]; value?: unknown; outOfRange?: string[] };

/** Deeper than any real config; bounds the recursion so a hostile file cannot overflow the stack. */
const MAX_DEPTH = 256;

class SyntaxFault {
  constructor(
    readonly at: number,
    readonly message: string,
    /** Where in the document, when that says more than line and column (deep nesting). */
    readonly path = "",
  ) {}
}

/** Segments of a path shown for a fault deep down: enough to name the field, never thousands of "[0]". */
const SHOWN_SEGMENTS = 8;

/** 1-based line and column of an offset. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = text.indexOf("\n"); i !== -1 && i < offset; i = text.indexOf("\n", i + 1)) {
    line++;
    start = i + 1;
  }
  return { line, column: offset - start + 1 };
}

const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
const ESCAPES: Record<string, string> = { '"': '"', "\\": "\\", "/": "/", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t" };

class Reader {
  pos = 0;
  readonly path: Array<string | number> = [];
  readonly duplicates: Array<{ at: number; path: string; firstAt: number }> = [];
  readonly outOfRange: Array<{ at: number; path: string }> = [];
  constructor(readonly text: string) {}

  fail(message: string, at = this.pos): never {
    throw new SyntaxFault(at, message);
  }

  skipSpace(): void {
    const t = this.text;
    let c = t.charCodeAt(this.pos);
    while (c === 32 || c === 10 || c === 13 || c === 9) c = t.charCodeAt(++this.pos);
  }

  value(depth: number): unknown {
    this.skipSpace();
    if (depth > MAX_DEPTH) {
      const shownPath = jsonPath(this.path.slice(0, SHOWN_SEGMENTS)) + (this.path.length > SHOWN_SEGMENTS ? "..." : "");
      throw new SyntaxFault(this.pos, `nested deeper than ${MAX_DEPTH} levels`, shownPath);
    }
    const c = this.text[this.pos];
    if (c === "{") return this.object(depth);
    if (c === "[") return this.array(depth);
    if (c === '"') return this.string();
    if (c === undefined) this.fail("unexpected end of file: expected a value");
    for (const [word, value] of [
      ["true", true],
      ["false", false],
      ["null", null],
    ] as const) {
      if (this.text.startsWith(word, this.pos)) {
        this.pos += word.length;
        return value;
      }
    }
    NUMBER.lastIndex = this.pos;
    const m = NUMBER.exec(this.text);
    if (!m)
      this.fail(
        c === "'"
          ? "strings must use double quotes"
          : "expected a value (a string in double quotes, a number, true, false, null, an object or an array)",
      );
    const n = Number(m[0]);
    // Valid JSON, but no double holds it: a value problem at its path, and the rest is still read.
    if (!Number.isFinite(n)) this.outOfRange.push({ at: this.pos, path: jsonPath(this.path) });
    this.pos += m[0].length;
    return n;
  }

  string(): string {
    const t = this.text;
    const start = this.pos++;
    let out = "";
    let run = this.pos;
    for (;;) {
      const c = t.charCodeAt(this.pos);
      if (Number.isNaN(c)) this.fail("unterminated string", start);
      if (c === 34) break;
      if (c < 0x20) this.fail("unescaped control character in a string (write it as an escape, e.g. \\n)");
      if (c === 92) {
        out += t.slice(run, this.pos);
        const e = t[this.pos + 1];
        if (e === "u") {
          const hex = t.slice(this.pos + 2, this.pos + 6);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail("invalid \\u escape (needs 4 hex digits)");
          out += String.fromCharCode(parseInt(hex, 16));
          this.pos += 6;
        } else {
          const decoded = e === undefined ? undefined : ESCAPES[e];
          if (decoded === undefined) this.fail("invalid escape in a string");
          out += decoded;
          this.pos += 2;
        }
        run = this.pos;
        continue;
      }
      this.pos++;
    }
    out += t.slice(run, this.pos++);
    return out;
  }

  array(depth: number): unknown[] {
    this.pos++;
    const out: unknown[] = [];
    this.skipSpace();
    if (this.text[this.pos] === "]") {
      this.pos++;
      return out;
    }
    for (;;) {
      this.path.push(out.length);
      out.push(this.value(depth + 1));
      this.path.pop();
      this.skipSpace();
      const c = this.text[this.pos++];
      if (c === "]") return out;
      if (c !== ",")
        this.fail(c === undefined ? "unexpected end of file: expected ',' or ']'" : "expected ',' or ']' after an array element", this.pos - 1);
      this.skipSpace();
      if (this.text[this.pos] === "]") this.fail("trailing comma before ']'");
    }
  }

  object(depth: number): Record<string, unknown> {
    this.pos++;
    const out: Record<string, unknown> = {};
    // Keys and their offsets in the order read, for the message of a duplicate (rare): cheaper than
    // a Map per object, of which a large config has tens of thousands.
    const seen: Array<string | number> = [];
    this.skipSpace();
    if (this.text[this.pos] === "}") {
      this.pos++;
      return out;
    }
    for (;;) {
      this.skipSpace();
      const keyAt = this.pos;
      if (this.text[this.pos] !== '"')
        this.fail(
          this.text[this.pos] === undefined ? "unexpected end of file: expected a property name" : "expected a property name in double quotes",
        );
      const key = this.string();
      this.skipSpace();
      if (this.text[this.pos] !== ":") this.fail("expected ':' after a property name");
      this.pos++;
      this.path.push(key);
      const value = this.value(depth + 1);
      if (Object.hasOwn(out, key)) {
        const first = seen[seen.indexOf(key) + 1] as number;
        this.duplicates.push({ at: keyAt, path: jsonPath(this.path), firstAt: first });
      } else {
        seen.push(key, keyAt);
        // An own data property even for "__proto__": plain assignment would set the prototype.
        if (key === "__proto__") Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
        else out[key] = value;
      }
      this.path.pop();
      this.skipSpace();
      const c = this.text[this.pos++];
      if (c === "}") return out;
      if (c !== ",")
        this.fail(c === undefined ? "unexpected end of file: expected ',' or '}'" : "expected ',' or '}' after an object member", this.pos - 1);
      this.skipSpace();
      if (this.text[this.pos] === "}") this.fail("trailing comma before '}'");
    }
  }
}

export function parseJson(source: string, file: string): JsonResult {
  const text = source.charCodeAt(0) === 0xfeff ? source.slice(1) : source;
  // Columns as an editor shows them: the BOM is invisible there.
  const at = (offset: number) => lineColumn(text, offset);
  const reader = new Reader(text);
  let value: unknown;
  try {
    value = reader.value(0);
    reader.skipSpace();
    if (reader.pos < text.length) reader.fail("unexpected content after the JSON value");
  } catch (e) {
    if (!(e instanceof SyntaxFault)) throw e;
    // Too deep is a limit of ours, not a syntax error: it says where instead.
    const problem: Problem = { file, path: e.path, ...at(e.at), message: e.path ? e.message : `invalid JSON: ${e.message}` };
    return { ok: false, problem, problems: [problem] };
  }
  if (!reader.duplicates.length && !reader.outOfRange.length) return { ok: true, value };
  const found = [
    ...reader.duplicates.map((d) => {
      const first = at(d.firstAt);
      return {
        offset: d.at,
        path: d.path,
        message: `duplicate key (first at line ${first.line}, column ${first.column}); a key may appear only once`,
      };
    }),
    ...reader.outOfRange.map((o) => ({ offset: o.at, path: o.path, message: "number out of range (too large for a 64-bit number)" })),
  ].sort((a, b) => a.offset - b.offset);
  const problems = found.map((f): Problem => ({ file, path: f.path, ...at(f.offset), message: f.message }));
  return { ok: false, problem: problems[0]!, problems, value, outOfRange: reader.outOfRange.map((o) => o.path) };
}
