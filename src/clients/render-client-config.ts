/**
 * Pure: the plan's services -> one client's config file. No I/O, so `mcps clients export` and
 * `GET /api/clients/{format}` serve the same bytes.
 */
import { clientEntries } from "./client-entries.js";
import { CLIENT_FILES, type ClientFormat } from "./client-format.js";
import { claudeDesktopDocument, cursorDocument, jsonText, vscodeDocument } from "./json-formats.js";
import { libreChatText } from "./librechat.js";
import type { ServicePlan } from "../plan/types.js";

export interface RenderedClientConfig {
  text: string;
  mediaType: string;
  fileName: string;
}

/** Throws UsageError when two services would share a client name or a URL cannot be exported. */
export function renderClientConfig(format: ClientFormat, services: readonly ServicePlan[]): RenderedClientConfig {
  const entries = clientEntries(services);
  const text =
    format === "librechat"
      ? libreChatText(entries)
      : jsonText(format === "vscode" ? vscodeDocument(entries) : format === "cursor" ? cursorDocument(entries) : claudeDesktopDocument(entries));
  return { text, ...CLIENT_FILES[format] };
}
