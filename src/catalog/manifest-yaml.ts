/**
 * A manifest's YAML text -> plain data, or its problems, one line each. `parse()` of the yaml package
 * throws on the first error and prints warnings (an unknown `!!python/...` tag, say) as multi-line
 * process warnings; here errors and warnings alike become problems, located by line and column.
 * Strings get the same control-character rule as the config (raw-checks.ts): a NUL or a newline in
 * a path or a command ends up in compose YAML and container settings.
 */
import { LineCounter, parseDocument, type YAMLError } from "yaml";
import { rawProblems } from "../config/raw-checks.js";
import { ConfigError, type Problem } from "../errors.js";
import { readInput } from "../io/read-input.js";

/** Far beyond any real manifest; an alias bomb expands past it and is refused instead of eating memory. */
const MAX_ALIAS_COUNT = 100;

export function parseManifestYaml(text: string, file: string): { value?: unknown; problems: Problem[] } {
  const lines = new LineCounter();
  const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: false, lineCounter: lines });
  const located = (e: YAMLError, kind: string): Problem => {
    const { line, col } = lines.linePos(e.pos[0]);
    // The message's first line only: the rest would quote the source.
    return { file, path: "", line, column: col, message: `${kind}: ${e.message.split("\n")[0]}` };
  };
  const problems = [...doc.errors.map((e) => located(e, "invalid YAML")), ...doc.warnings.map((w) => located(w, "unsupported YAML"))];
  if (problems.length) return { problems };
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch {
    return { problems: [{ file, path: "", message: `invalid YAML: aliases expand to too much data (more than ${MAX_ALIAS_COUNT} alias uses)` }] };
  }
  const raw = rawProblems(value, file);
  return { problems: raw, ...(!raw.length && { value }) };
}

/** The manifest file read (never hanging on a FIFO, strict UTF-8) and parsed as above. */
export async function readManifestData(file: string): Promise<{ value?: unknown; problems: Problem[] }> {
  let text: string | undefined;
  try {
    text = await readInput(file);
  } catch (e) {
    if (e instanceof ConfigError) return { problems: e.problems };
    throw e;
  }
  // Listed a moment ago, gone now: say so rather than fail later.
  if (text === undefined) return { problems: [{ file, path: "", message: "file not found" }] };
  return parseManifestYaml(text, file);
}
