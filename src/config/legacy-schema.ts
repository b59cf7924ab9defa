/**
 * The older Grafana-only file (grafana_servers.json), still accepted everywhere a config is read
 * and converted by `mcps migrate`. Shape: { "servers": [ {name, grafana_url, token_env, ...} ] }.
 */
import { z } from "zod";
import { urlProblem } from "./formats.js";
import { ID } from "./schema.js";
import { secretVarProblem } from "./secret-var.js";

/** The same rule as a *_env key in mcp_servers.json, so migrate never copies a pasted token. */
const SecretVar = z.string().superRefine((value, ctx) => {
  const why = secretVarProblem(value);
  if (why) ctx.addIssue({ code: "custom", message: why });
});

const Url = z.string().superRefine((value, ctx) => {
  const why = urlProblem(value);
  if (why) ctx.addIssue({ code: "custom", message: why });
});

export const LegacyServerSchema = z.strictObject({
  name: z.string().trim().min(1, "must not be empty").describe("Customer name"),
  id: z.string().regex(ID, "must be lower-case letters, digits and dashes").optional(),
  description: z.string().optional(),
  host: z.string().optional(),
  grafana_url: Url.describe("The customer's Grafana URL"),
  token_env: SecretVar.describe("Name of the variable holding the Grafana token"),
  mcp_url: Url.optional().describe("Where the Grafana MCP server was served; checked like a server's url"),
  port: z.number().int("must be a whole number").min(1, "must be a port number, 1-65535").max(65535, "must be a port number, 1-65535").optional(),
  enabled: z.boolean().optional(),
});

export const LegacyFileSchema = z.strictObject({
  $schema: z.string().optional(),
  servers: z.array(LegacyServerSchema).describe("One Grafana MCP server per customer"),
});
export type LegacyFile = z.output<typeof LegacyFileSchema>;

export function isLegacyShape(json: unknown): boolean {
  return typeof json === "object" && json !== null && Object.hasOwn(json, "servers") && !Object.hasOwn(json, "customers");
}

/** The legacy entries, as mcp_servers.json customers with one grafana server each. */
export function convertLegacy(file: LegacyFile): { customers: unknown[] } {
  return {
    customers: file.servers.map((s) => ({
      ...(s.id ? { id: s.id } : {}),
      name: s.name,
      ...(s.description !== undefined ? { description: s.description } : {}),
      ...(s.host !== undefined ? { host: s.host } : {}),
      ...(s.enabled !== undefined ? { enabled: s.enabled } : {}),
      mcp_servers: [
        {
          type: "grafana",
          config: { grafana_url: s.grafana_url, token_env: s.token_env },
          ...(s.port !== undefined ? { port: s.port } : {}),
          ...(s.mcp_url !== undefined ? { url: s.mcp_url } : {}),
        },
      ],
    })),
  };
}

/** Maps a path in the converted document back to the legacy file's own path. */
export function legacyPath(path: string): string {
  const root = "servers";
  return path
    .replace(/^customers\[(\d+)\]\.mcp_servers\[0\]\.config\.grafana_url/, `${root}[$1].grafana_url`)
    .replace(/^customers\[(\d+)\]\.mcp_servers\[0\]\.config\.token_env/, `${root}[$1].token_env`)
    .replace(/^customers\[(\d+)\]\.mcp_servers\[0\]\.url/, `${root}[$1].mcp_url`)
    .replace(/^customers\[(\d+)\]\.mcp_servers\[0\]/, `${root}[$1]`)
    .replace(/^customers\[(\d+)\]/, `${root}[$1]`)
    .replace(/^customers/, root);
}
