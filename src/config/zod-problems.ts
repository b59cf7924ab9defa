/** Turns zod issues into one-line problems with a JSON path a person can follow. */
import type { z } from "zod";
import type { Problem } from "../errors.js";

type Path = ReadonlyArray<PropertyKey>;

/** ["customers", 0, "mcp_servers", 2, "type"] -> "customers[0].mcp_servers[2].type" */
export function jsonPath(path: Path): string {
  let out = "";
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`;
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

function message(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case "invalid_type":
      return issue.input === undefined
        ? `is required (${issue.expected})`
        : `must be ${issue.expected === "object" ? "an object" : `a ${issue.expected}`}, not ${describeValue(issue.input)}`;
    case "unrecognized_keys":
      return `unknown key${issue.keys.length > 1 ? "s" : ""} ${issue.keys.map((k) => JSON.stringify(k)).join(", ")}`;
    case "invalid_union":
      return issue.message === "Invalid input" ? "has an invalid value" : issue.message;
    case "invalid_value":
      return `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}`;
    default:
      return issue.message;
  }
}

export function zodProblems(file: string, error: z.ZodError, base: Path = []): Problem[] {
  return error.issues.map((issue) => {
    // An unknown key is located at the key itself, so the path points at the typo.
    const at = issue.code === "unrecognized_keys" && issue.keys.length === 1 ? [...issue.path, issue.keys[0]!] : issue.path;
    const msg = issue.code === "unrecognized_keys" && issue.keys.length === 1 ? "unknown key" : message(issue);
    return { file, path: jsonPath(joinPath(base, at)), message: msg };
  });
}
