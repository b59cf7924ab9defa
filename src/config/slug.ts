/** Derived ids are at most this long (an explicit id may be as long). */
export const SLUG_MAX = 48;

/** "Vattenfall DE" -> "vattenfall-de"; "Zürich Versicherung" -> "zurich-versicherung". */
export function slugify(name: string, max = SLUG_MAX): string {
  return name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, max)
    .replace(/-+$/, "");
}
