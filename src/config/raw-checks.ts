/**
 * Checks on the parsed JSON before any schema: things no field may hold. A NUL or other control
 * character in a name or value ends up in labels, YAML and container environments, where it
 * truncates, splits lines or hides text; bidi overrides make a value read differently than it is.
 */
import type { Problem } from "../errors.js";
import { jsonPath } from "./zod-problems.js";

const FORBIDDEN = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

function codePoint(text: string): string {
  const c = FORBIDDEN.exec(text)![0].charCodeAt(0);
  return `U+${c.toString(16).toUpperCase().padStart(4, "0")}`;
}

export function rawProblems(value: unknown, file: string): Problem[] {
  const problems: Problem[] = [];
  // One path, pushed and popped on the way down: a copy per node was most of this walk's cost on a
  // large config, and a path is only needed for the rare problem.
  const path: Array<string | number> = [];
  const walk = (v: unknown) => {
    if (typeof v === "string") {
      if (FORBIDDEN.test(v)) problems.push({ file, path: jsonPath(path), message: `contains a control character (${codePoint(v)}); remove it` });
    } else if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        path.push(i);
        walk(v[i]);
        path.pop();
      }
    } else if (v !== null && typeof v === "object") {
      for (const key of Object.keys(v)) {
        if (FORBIDDEN.test(key)) {
          problems.push({ file, path: jsonPath(path), message: `a key contains a control character (${codePoint(key)}); remove it` });
          continue;
        }
        path.push(key);
        walk((v as Record<string, unknown>)[key]);
        path.pop();
      }
    }
  };
  walk(value);
  return problems;
}
