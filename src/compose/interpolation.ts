/**
 * Compose interpolates "$" in every string value of the file (v1 and v2 alike). Data is therefore
 * written escaped, and the only `${...}` in the output are the ones built here from validated parts.
 */
import { imageReferenceProblem } from "../config/image-reference.js";
import { ENV_NAME } from "../config/schema.js";

/** Compose reads "$" as the start of a variable; a literal one is written "$$". */
export function escapeDollar(value: string): string {
  return value.includes("$") ? value.replaceAll("$", "$$$$") : value;
}

/**
 * out[key] = value as an own property, also for the key "__proto__" (which plain assignment would
 * take as the prototype). Assignment otherwise: it is several times faster than Object.fromEntries
 * for the thousands of small maps a large plan renders.
 */
export function setOwn(out: Record<string, unknown>, key: string, value: unknown): void {
  if (key === "__proto__") Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  else out[key] = value;
}

/** Every string inside `value` (not the keys: compose does not interpolate keys), escaped. */
export function literal<T>(value: T): T {
  if (typeof value === "string") return escapeDollar(value) as T;
  if (Array.isArray(value)) return value.map(literal) as T;
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value)) setOwn(out, k, literal((value as Record<string, unknown>)[k]));
    return out as T;
  }
  return value;
}

/**
 * A reference to a host variable. The plan only carries names the config schema accepted; this
 * check is a second lock, so a bug upstream fails loudly instead of writing an expression.
 */
export function variableRef(name: string): string {
  if (!ENV_NAME.test(name)) throw new Error(`refusing to write \${...} around an invalid variable name (${name.length} characters)`);
  return `\${${name}}`;
}

/** `${BASE_IMAGE:-<default>}`: the default is an image reference, which cannot hold $, { or }. */
export function baseImageArg(defaultImage: string): string {
  if (imageReferenceProblem(defaultImage)) throw new Error("refusing to write an invalid base image into ${BASE_IMAGE:-...}");
  return `\${BASE_IMAGE:-${defaultImage}}`;
}
