/**
 * The env-file rules of `docker-compose --env-file`, so mcps and compose never read a credentials
 * file differently. Pure: text + environment in, values out. Verified against docker-compose 1.29.2
 * (python-dotenv with interpolation) by test/unit/dotenv-compose.test.ts.
 *
 * Both compose generations agree on: `KEY=value` lines, an optional `export ` prefix, `#` comment
 * lines, an inline ` #comment` after an unquoted value (a `#` with no space before it is kept),
 * surrounding spaces trimmed, double quotes that may span lines with `\n` `\"` `\\` escapes and
 * `${VAR}` / `${VAR:-default}` expansion from earlier lines and the environment, the last
 * definition of a key winning, a UTF-8 BOM ignored.
 *
 * Where compose v1 (python-dotenv) and v2 (compose-go) differ, we follow v2, the maintained one:
 * - single quotes are literal: no expansion, no escapes (v1 expands `${VAR}` and unescapes `\\` `\'`);
 * - `$VAR` without braces expands (v1 leaves it as typed);
 * - `$$` is a literal `$` (v1 leaves `$$`);
 * - `${VAR:-default}` uses the default when VAR is unset or empty (v1: only when unset);
 * - expansion looks in the environment before earlier lines (v1: earlier lines first).
 * Where both are lenient or both fail differently we keep going, as v1 does: a line we cannot
 * read (unterminated quote, text after a closing quote, a bad key) is skipped, and a key without
 * `=` sets nothing. Other `${...}` forms (`:?`, `:+`, `-`) are kept as typed.
 */

export type EnvSource = Readonly<Record<string, string | undefined>>;

const KEY = /^[A-Za-z_][A-Za-z0-9_.]*/;
const DOUBLE_ESCAPES: Record<string, string> = { n: "\n", r: "\r", t: "\t", a: "\x07", b: "\b", f: "\f", v: "\v", '"': '"', "'": "'", "\\": "\\" };

/** `${NAME}`, `${NAME:-default}`, `$NAME` and `$$`, looked up in the environment, then earlier lines. */
export function expand(value: string, lookup: (name: string) => string | undefined): string {
  return value.replace(/\$(?:\$|\{([^{}]*)\}|([A-Za-z_][A-Za-z0-9_]*))/g, (whole, braced: string | undefined, bare: string | undefined) => {
    if (whole === "$$") return "$";
    if (bare !== undefined) return lookup(bare) ?? "";
    const m = /^([A-Za-z_][A-Za-z0-9_]*)(?::-(.*))?$/s.exec(braced!);
    if (!m) return whole;
    const found = lookup(m[1]!);
    if (m[2] !== undefined && (found === undefined || found === "")) return m[2];
    return found ?? "";
  });
}

function decodeDouble(raw: string): string {
  return raw.replace(/\\(.)/gs, (whole, c: string) => DOUBLE_ESCAPES[c] ?? whole);
}

/** The end of a quoted value starting at `open` (index of the quote), or -1. */
function closingQuote(text: string, open: number, quote: string): number {
  for (let i = open + 1; i < text.length; i++) {
    if (quote === '"' && text[i] === "\\") i++;
    else if (text[i] === quote) return i;
  }
  return -1;
}

/** Everything after a value up to the line end must be blank or a comment. */
const restIsBlank = (rest: string) => /^[ \t]*(?:#.*)?$/.test(rest);

export function parseDotenv(text: string, env: EnvSource = {}): Map<string, string> {
  const vars = new Map<string, string>();
  const lookup = (name: string) => env[name] ?? vars.get(name);
  const src = text.replace(/^\uFEFF/, "");
  let pos = 0;
  while (pos < src.length) {
    let eol = src.indexOf("\n", pos);
    if (eol < 0) eol = src.length;
    const line = src.slice(pos, eol).replace(/\r$/, "");
    const next = eol + 1;
    const m = /^[ \t]*(?:export[ \t]+)?/.exec(line)!;
    const afterExport = line.slice(m[0].length);
    const key = KEY.exec(afterExport)?.[0];
    const eq = key ? /^[ \t]*=[ \t]*/.exec(afterExport.slice(key.length)) : null;
    if (!key || !eq) {
      pos = next; // blank, comment, no `=`, or a key we cannot read: sets nothing
      continue;
    }
    const valueStart = pos + m[0].length + key.length + eq[0].length;
    const quote = src[valueStart];
    if (quote === '"' || quote === "'") {
      const close = closingQuote(src, valueStart, quote);
      const lineEnd = close < 0 ? -1 : src.indexOf("\n", close);
      const rest = close < 0 ? "" : src.slice(close + 1, lineEnd < 0 ? src.length : lineEnd).replace(/\r$/, "");
      if (close < 0 || !restIsBlank(rest)) {
        pos = next;
        continue;
      }
      const raw = src.slice(valueStart + 1, close);
      vars.set(key, quote === "'" ? raw : expand(decodeDouble(raw), lookup));
      pos = lineEnd < 0 ? src.length : lineEnd + 1;
      continue;
    }
    const raw = line
      .slice(valueStart - pos)
      .replace(/[ \t]+#.*$/, "")
      .trimEnd();
    vars.set(key, expand(raw, lookup));
    pos = next;
  }
  return vars;
}
