/** Turns zod issues into one-line problems with a JSON path a person can follow. */
import type { z } from "zod";
import type { Problem } from "../errors.js";
import { isShowable, shown } from "./safe-text.js";

type Path = ReadonlyArray<PropertyKey>;

/** ["customers", 0, "mcp_servers", 2, "type"] -> "customers[0].mcp_servers[2].type" */
export function jsonPath(path: Path): string {
  let out = "";
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`;
    // A key is file content too: one that looks like a pasted token is described, not printed.
    else if (!isShowable(key)) out += `[<${shown(key)}>]`;
    else if (typeof key === "string" && /^[A-Za-z_$][\w$-]*$/.test(key)) out += out ? `.${key}` : key;
    else out += `[${JSON.stringify(String(key))}]`;
  }
  return out;
}

export function joinPath(base: Path, rest: Path): Path {
  return [...base, ...rest];
}

function describeValue(input: unknown): string {
  if (input === null) return "null";
  if (Array.isArray(input)) return "an array";
  return typeof input === "object" ? "an object" : typeof input;
}

const withArticle = (noun: string) => (/^[aeiou]/.test(noun) ? `an ${noun}` : `a ${noun}`);

function message(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case "invalid_type":
      return issue.input === undefined
        ? `is required (${issue.expected})`
        : `must be ${withArticle(issue.expected)}, not ${describeValue(issue.input)}`;
    case "unrecognized_keys":
      return `unknown key${issue.keys.length > 1 ? "s" : ""} ${issue.keys.map((k) => shown(k)).join(", ")}`;
    case "invalid_union": {
      // Name the branch that got furthest: the one that failed on something other than the type.
      const branches = issue.errors.filter((b) => b.length);
      const near = branches.find((b) => b[0]!.code !== "invalid_type");
      if (near) return message(near[0]!);
      const expected = branches.map((b) => (b[0]!.code === "invalid_type" ? b[0]!.expected : "?"));
      return `must be ${[...new Set(expected)].map(withArticle).join(" or ")}, not ${describeValue(issue.input)}`;
    }
    case "invalid_value":
      return `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}`;
    default:
      return issue.message;
  }
}

/** safeParse that keeps each failing input, so messages can say what was found instead. */
export function check<T extends z.ZodType>(schema: T, value: unknown): z.ZodSafeParseResult<z.output<T>> {
  return schema.safeParse(value, { reportInput: true });
}

export function zodProblems(file: string, error: z.ZodError, base: Path = []): Problem[] {
  return error.issues.map((issue) => {
    // An unknown key is located at the key itself, so the path points at the typo.
    const at = issue.code === "unrecognized_keys" && issue.keys.length === 1 ? [...issue.path, issue.keys[0]!] : issue.path;
    const msg = issue.code === "unrecognized_keys" && issue.keys.length === 1 ? "unknown key" : message(issue);
    return { file, path: jsonPath(joinPath(base, at)), message: msg };
  });
}
