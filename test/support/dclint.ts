/**
 * The public Compose linter (dclint) as a library, in this process: the same rules its command line
 * runs, with its built-in defaults (the command line falls back to them where no .dclintrc is found,
 * which is why the tests once ran it from the file's folder). A process per file cost more than the lint.
 */
import { DCLinter } from "dclint";

export interface LintMessage {
  rule: string;
  type: "error" | "warning";
  message: string;
  line: number;
}

const DEFAULTS = { debug: false, exclude: [], rules: {}, quiet: false };

/** Every message dclint has for one file. */
export function dclint(file: string): LintMessage[] {
  const reports = new DCLinter(structuredClone(DEFAULTS)).lintFiles([file], false);
  if (reports.length !== 1) throw new Error(`dclint linted ${reports.length} files for ${file}`);
  return reports[0]!.messages as LintMessage[];
}
