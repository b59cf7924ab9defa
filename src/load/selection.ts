/** The customers/types a command acts on, as given on the command line. */
import { UsageError } from "../errors.js";

export interface SelectionArgs {
  customers: string[];
  types: string[];
  all: boolean;
}

/** Acting on the whole fleet must be asked for: nothing named and no --all is a usage error. */
export function requireSelection(verb: string, sel: SelectionArgs): void {
  if (!sel.all && !sel.customers.length && !sel.types.length) {
    throw new UsageError(`mcps ${verb}: name the customers (id or name), pick --type TYPE, or pass --all; e.g. mcps ${verb} vattenfall-de`);
  }
}

export function parseBuildArgs(pairs: string[]): Record<string, string> {
  const args: Record<string, string> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf("=");
    if (eq < 1) throw new UsageError(`--build-arg ${JSON.stringify(pair)}: expected KEY=VALUE`);
    args[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return args;
}

export function positiveInt(flag: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${flag} ${JSON.stringify(value)}: expected a whole number of at least 1`);
  return n;
}
