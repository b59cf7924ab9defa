/**
 * The one place that decides whether a value a person typed may appear in a message. Config files
 * and command lines get tokens pasted into them; a message that quotes such a value puts the
 * secret into terminals, CI logs and bug reports. Anything that may be a secret is described
 * ("a 40-character value, not shown"), never printed.
 */

/** Longer than this is never shown: real names, ids and hostnames are short. */
const MAX_SHOWN = 80;

/** Prefixes of well-known credentials, case-sensitive as issued (so GLSA_TOKEN stays a fine variable name). */
const TOKEN_PREFIX =
  /(?:^|[^A-Za-z0-9])(?:glsa[_-]|glc_|glpat-|ghp_|gho_|ghu_|ghs_|ghr_|github_pat_|xox[abposr]-|sk-|sk_live_|sk_test_|rk_live_|pk_live_|npm_|hf_|AIza|eyJ|ya29\.|-----BEGIN)/;
/** AWS access key ids: upper case like a variable name, so matched by their exact shape. */
const AWS_KEY = /(?:^|[^A-Z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}(?:$|[^A-Z0-9])/;
/** A long unbroken run of token characters. */
const RUN = /[A-Za-z0-9+/=_-]{20,}/g;
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

function entropyBitsPerChar(s: string): number {
  const counts = new Map<string, number>();
  for (const c of s) counts.set(c, (counts.get(c) ?? 0) + 1);
  let bits = 0;
  for (const n of counts.values()) bits -= (n / s.length) * Math.log2(n / s.length);
  return bits;
}

/** Random tokens mix digits into letters, or upper and lower case in similar measure; names do not. */
function mixed(word: string): boolean {
  if (/[0-9]/.test(word) && /[A-Za-z]/.test(word)) return true;
  const upper = word.replace(/[^A-Z]/g, "").length / word.length;
  return /[a-z]/.test(word) && upper >= 0.25 && upper <= 0.75;
}

/** A run looks random when a long part of it mixes character classes and rarely repeats a character. */
function randomLooking(run: string): boolean {
  for (const word of run.split(/[_-]/)) if (word.length >= 16 && mixed(word) && entropyBitsPerChar(word) > 3) return true;
  // Base64url tokens contain "_" and "-" by chance: judge those by the whole run.
  const joined = run.replace(/[_-]/g, "");
  return joined.length >= 32 && /[a-z]/.test(joined) && /[A-Z]/.test(joined) && /[0-9]/.test(joined) && entropyBitsPerChar(joined) > 4;
}

/** True when the text may be a credential (or carries one, like a URL with user:password@). */
export function looksSecret(text: string): boolean {
  if (TOKEN_PREFIX.test(text) || AWS_KEY.test(text)) return true;
  if (/^[a-z][a-z0-9+.-]*:\/\/[^/?#\s]*@/i.test(text)) return true;
  if (/\b(?:bearer|basic)\s+\S{8,}/i.test(text) || /\b(?:password|passwd|secret|token|api[_-]?key)\s*[=:]\s*\S/i.test(text)) return true;
  for (const run of text.match(RUN) ?? []) if (randomLooking(run)) return true;
  return false;
}

/** True when the value may be quoted in a message as it is. */
export function isShowable(value: unknown): boolean {
  if (typeof value === "boolean" || value === null) return true;
  if (typeof value === "number") return String(value).length <= 12;
  if (typeof value !== "string") return false;
  return value.length <= MAX_SHOWN && !CONTROL.test(value) && !looksSecret(value);
}

/** What to say instead of a value that is not shown. */
export function describeHidden(value: unknown): string {
  if (typeof value === "string") return `a ${value.length}-character value, not shown`;
  if (typeof value === "number") return "a number, not shown";
  return "a value, not shown";
}

/** The value quoted (JSON notation) when it may be shown, else a description of it. */
export function shown(value: unknown): string {
  return isShowable(value) ? JSON.stringify(value) : describeHidden(value);
}
