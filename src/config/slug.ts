/** Derived ids are at most this long (an explicit id may be as long). */
export const SLUG_MAX = 48;

/** Letters that Unicode does not decompose into a base letter and a mark, written as people spell them. */
const TRANSLITERATE: Record<string, string> = {
  ß: "ss",
  ẞ: "ss",
  æ: "ae",
  Æ: "ae",
  œ: "oe",
  Œ: "oe",
  ø: "o",
  Ø: "o",
  đ: "d",
  Đ: "d",
  ð: "d",
  Ð: "d",
  ł: "l",
  Ł: "l",
  þ: "th",
  Þ: "th",
  ı: "i",
};
const UNDECOMPOSED = new RegExp(`[${Object.keys(TRANSLITERATE).join("")}]`, "g");

/** "Vattenfall DE" -> "vattenfall-de"; "Zürich Versicherung" -> "zurich-versicherung"; "Müller Straße" -> "muller-strasse". */
export function slugify(name: string, max = SLUG_MAX): string {
  return name
    .replace(UNDECOMPOSED, (c) => TRANSLITERATE[c] ?? c)
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, max)
    .replace(/-+$/, "");
}
