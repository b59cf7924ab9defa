/** The client applications we export configs for, and how each file is named and served. */
import { shown } from "../config/safe-text.js";
import { UsageError } from "../errors.js";

export const CLIENT_FORMATS = ["claude-desktop", "vscode", "cursor", "librechat"] as const;
export type ClientFormat = (typeof CLIENT_FORMATS)[number];

export interface ClientFile {
  /** The file name the client reads (VS Code's lives in .vscode/, Cursor's in .cursor/ or ~/.cursor/). */
  fileName: string;
  mediaType: string;
}

export const CLIENT_FILES: Record<ClientFormat, ClientFile> = {
  "claude-desktop": { fileName: "claude_desktop_config.json", mediaType: "application/json" },
  vscode: { fileName: "mcp.json", mediaType: "application/json" },
  cursor: { fileName: "mcp.json", mediaType: "application/json" },
  // RFC 9512 registers application/yaml.
  librechat: { fileName: "librechat.yaml", mediaType: "application/yaml" },
};

export function isClientFormat(value: string): value is ClientFormat {
  return (CLIENT_FORMATS as readonly string[]).includes(value);
}

/** A format named on the command line or in a URL; anything else is one line of bad input. */
export function parseClientFormat(value: string | undefined): ClientFormat {
  if (value === undefined) throw new UsageError(`give the client format with --for: ${CLIENT_FORMATS.join(", ")}`);
  if (!isClientFormat(value)) throw new UsageError(`unknown client format ${shown(value)}; expected one of: ${CLIENT_FORMATS.join(", ")}`);
  return value;
}
