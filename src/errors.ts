/**
 * Typed errors. Commands throw these; cli-exit.ts is the one place that turns them into
 * messages and exit codes (by their type), so every failure mode has exactly one documented code.
 */

/** One problem with an input file, located by a JSON path inside it (and by line when known). */
export interface Problem {
  file: string;
  path: string;
  message: string;
  /** 1-based, when the problem has a place in the text (JSON syntax, duplicate keys). */
  line?: number;
  column?: number;
}

export function formatProblem(p: Problem): string {
  const where = p.line !== undefined ? `${p.file}:${p.line}:${p.column ?? 1}` : p.file;
  return p.path ? `${where}: ${p.path}: ${p.message}` : `${where}: ${p.message}`;
}

export abstract class McpsError extends Error {
  /** Lines to show the user; one per problem. Errors that are not about one file speak as `mcps: ...`. */
  lines(): string[] {
    return [this.message.startsWith("mcps: ") ? this.message : `mcps: ${this.message}`];
  }
}

/** The input is wrong (a file, a flag, an output path): the user must change it; exit 2. */
export abstract class BadInputError extends McpsError {}

/** Every problem found in an input file, reported together. */
export class ConfigError extends BadInputError {
  constructor(readonly problems: Problem[]) {
    super(problems.map(formatProblem).join("\n"));
    this.name = "ConfigError";
  }
  override lines(): string[] {
    return this.problems.map(formatProblem);
  }
}

/** The command line itself is wrong (missing selection, bad flag value). */
export class UsageError extends BadInputError {
  override name = "UsageError";
}

/**
 * A host port the plan publishes is held by someone else (another project's container, a process):
 * found before any container is touched, one line per port. Bad input: a pin or a port range fixes it.
 */
/** Host ports another project or process holds: bad input (exit 2), found before any container is touched. */
export class PortConflictError extends BadInputError {
  override name = "PortConflictError";
  constructor(readonly conflicts: string[]) {
    super(conflicts.join("\n"));
  }
  override lines(): string[] {
    return this.conflicts.map((c) => `mcps: ${c}`);
  }
}

/** The engine is unreachable; says where we looked. */
export class EngineUnreachableError extends McpsError {
  override name = "EngineUnreachableError";
}

/** The engine took a request but did not answer within the limit: as good as unreachable for the user. */
export class EngineTimeoutError extends EngineUnreachableError {
  override name = "EngineTimeoutError";
}

/** A request the engine answered with an error (build failed, port taken, ...). */
export class EngineError extends McpsError {
  override name = "EngineError";
}

/*
 * The engine's refusals that callers act on, in our words (like compose's errdefs.IsNotFound), so no
 * code outside engine/ reads an HTTP status: engine/engine-call.ts is the one place that maps them.
 */

/** The container, network or image is not there (any more). */
export class NotFoundError extends EngineError {
  override name = "NotFoundError";
}

/** Creating or renaming to a name that another container or network already has. */
export class NameTakenError extends EngineError {
  override name = "NameTakenError";
}

/** The object is in a state that refuses the request: a network with endpoints, a removal in progress. */
export class ConflictError extends EngineError {
  override name = "ConflictError";
}

/** An MCP probe failed: what was asked, where, and why. */
export class ProbeError extends Error {
  override name = "ProbeError";
  /** The server answered, but as a server that does not speak 2026-07-28 would: try the 2025 handshake. */
  readonly legacy: boolean;
  constructor(message: string, opts: { legacy?: boolean } = {}) {
    super(message);
    this.legacy = opts.legacy ?? false;
  }
}
