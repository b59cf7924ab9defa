/** The JSON Schemas editors use, derived from the zod schemas (never written by hand). */
import { z } from "zod";
import { ManifestSchema } from "./manifest-schema.js";
import { ConfigSchema } from "./schema.js";

export type SchemaKind = "config" | "manifest";

export function jsonSchema(kind: SchemaKind): Record<string, unknown> {
  const schema = kind === "config" ? ConfigSchema : ManifestSchema;
  const title = kind === "config" ? "mcp_servers.json" : "mcps/<type>/mcp.yaml";
  // io: "input" describes what a person writes (defaults optional), not what the parser returns.
  return { title, ...z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) };
}
