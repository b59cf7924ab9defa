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

/** Every string inside `value` (not the keys: compose does not interpolate keys), escaped. */
export function literal<T>(value: T): T {
  if (typeof value === "string") return escapeDollar(value) as T;
  if (Array.isArray(value)) return value.map(literal) as T;
  if (value && typeof value === "object") {
    // fromEntries defines own properties: a key "__proto__" stays a key.
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, literal(v)])) as T;
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
