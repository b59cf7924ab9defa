/**
 * The zod schema of mcp_servers.json: the single source of truth for its shape.
 * The JSON Schema that editors read (`mcps schema`) is derived from it.
 */
import { z } from "zod";
import { MEMORY, MIN_MEMORY_BYTES, memoryBytes } from "./memory.js";
import { TOOL_GLOB } from "./tool-glob.js";

/** A shell/compose variable name, as `${NAME}` can reference it. */
export const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Ids end up in container, network and profile names. */
export const ID = /^[a-z0-9](?:[a-z0-9-]{0,46}[a-z0-9])?$/;
const MEMORY_MINIMUM = 'must be at least "6m" (6 MiB, the least Docker accepts)';

/** Docker refuses a CPU limit below 0.01 cores. */
export const MIN_CPUS = 0.01;

export const ResourcesSchema = z
  .strictObject({
    cpus: z
      .union([z.number(), z.string().regex(/^[0-9]+(?:\.[0-9]+)?$/, "must be a number of cores, like 0.5")])
      .transform(Number)
      .pipe(z.number().min(MIN_CPUS, "must be at least 0.01 cores (the least Docker accepts)").max(1024, "must be at most 1024 cores"))
      .optional()
      .describe("CPU limit in cores, e.g. 0.5"),
    memory: z
      .union([
        z.number().int("must be a whole number of bytes").min(MIN_MEMORY_BYTES, MEMORY_MINIMUM),
        z.string().regex(MEMORY, 'must be like "256m", "1g" or a byte count'),
      ])
      // Parsed once, here: everything after the schema works in bytes.
      .transform(memoryBytes)
      .pipe(z.number().min(MIN_MEMORY_BYTES, MEMORY_MINIMUM).max(Number.MAX_SAFE_INTEGER, "is too large"))
      .optional()
      .describe('Memory limit, e.g. "256m" or "1g" (compose notation) or a number of bytes'),
    pids: z.number().int().min(1, "must be at least 1").optional().describe("Maximum number of processes"),
  })
  .describe("Resource limits; unset fields fall back to defaults, then to the type's manifest");
export type Resources = z.output<typeof ResourcesSchema>;

const ToolGlobs = z
  .array(z.string().regex(TOOL_GLOB, "must be a tool-name glob: letters, digits, _ - . / and the wildcards * and ?, 1-128 characters"))
  .max(256, "must list at most 256 globs");

export const ToolPolicySchema = z
  .strictObject({
    allow: ToolGlobs.optional().describe("Globs on the server's own tool names; when given, only matching tools are exposed"),
    deny: ToolGlobs.optional().describe("Globs on the server's own tool names; matching tools are never exposed (deny wins over allow)"),
  })
  .describe("Which of the server's tools the gateway (/mcp/<customer>) exposes, on list and on call alike");

const ConfigValue = z.union([z.string(), z.number(), z.boolean()]);

/**
 * zod drops a record key "__proto__" without a word (it cannot be assigned safely); our JSON reader
 * and the YAML reader keep it as an own property, so it is reported here (as `message`).
 */
export const noProtoKey =
  (message: string) =>
  (value: unknown, ctx: z.core.$RefinementCtx<unknown>): unknown => {
    if (value !== null && typeof value === "object" && Object.hasOwn(value, "__proto__")) {
      ctx.addIssue({ code: "custom", path: ["__proto__"], message });
    }
    return value;
  };

export const ServerSchema = z
  .strictObject({
    type: z.string().min(1).describe("MCP type: a folder name in the catalog (mcps/<type>)"),
    enabled: z.boolean().optional().describe("false keeps the entry but generates and starts nothing for it"),
    config: z
      .preprocess(noProtoKey("unknown key"), z.record(z.string(), ConfigValue))
      .default({})
      .describe("Type-specific settings; keys ending in _env name environment variables holding secrets"),
    resources: ResourcesSchema.optional(),
    port: z
      .number()
      .int("must be a whole number")
      .min(1, "must be a port number, 1-65535")
      .max(65535, "must be a port number, 1-65535")
      .optional()
      .describe("Pinned host port (otherwise derived and stable); below 1024 is accepted with a warning"),
    url: z.string().optional().describe("Older files carried the server URL; when given it is checked against the derived one"),
    tools: ToolPolicySchema.optional(),
  })
  .describe("One MCP server of a customer");
export type Server = z.output<typeof ServerSchema>;

export const CustomerSchema = z
  .strictObject({
    id: z
      .string()
      .regex(ID, "must be lower-case letters, digits and dashes (1-48 chars)")
      .optional()
      .describe('Stable id used in names and profiles; defaults to a slug of name ("Vattenfall DE" -> vattenfall-de)'),
    name: z.string().trim().min(1, "must not be empty").describe("Display name"),
    description: z.string().optional(),
    host: z.string().optional().describe("The customer's monitoring host, for reference"),
    type: z.string().optional().describe("Optional customer type (e.g. a tier); carried as a label"),
    enabled: z.boolean().optional().describe("false keeps the customer but generates and starts nothing for it"),
    mcp_servers: z.array(ServerSchema).describe("The customer's MCP servers, at most one per type"),
    gateway: z
      .strictObject({
        token_env: z
          .string()
          .regex(ENV_NAME, "must be an environment variable name")
          .describe("Variable holding the bearer token /mcp/<customer> requires (its value is never written anywhere)"),
      })
      .optional()
      .describe("The customer's gateway endpoint, /mcp/<customer> on mcps serve"),
  })
  .describe("A customer and its MCP servers");
export type Customer = z.output<typeof CustomerSchema>;

const HostPort = z
  .number()
  .int("must be a whole number")
  .min(1024, "must be 1024-65535 (ports below 1024 are privileged)")
  .max(65535, "must be 1024-65535");

export const DefaultsSchema = z
  .strictObject({
    resources: ResourcesSchema.optional(),
    bind_address: z
      .ipv4("must be an IPv4 address, like 127.0.0.1")
      .default("127.0.0.1")
      .describe("Host address published ports bind to; 0.0.0.0 (every interface) needs expose: true"),
    expose: z.boolean().default(false).describe("Must be true to bind to 0.0.0.0: the servers hold customer credentials and have no authentication"),
    port_range: z
      .strictObject({ from: HostPort, to: HostPort })
      .refine((r) => r.to - r.from >= 99, "must span at least 100 ports (from below to)")
      .default({ from: 20000, to: 29999 })
      .describe("Host ports are derived inside this range (keep it below the ephemeral range)"),
    env_file: z.string().optional().describe("Optional file of credentials (e.g. mcp_credentials.env); it need not exist"),
    restart: z.enum(["no", "always", "on-failure", "unless-stopped"]).default("unless-stopped"),
    tools: ToolPolicySchema.optional().describe("The gateway's tool policy for every server that sets none"),
  })
  .superRefine((d, ctx) => {
    if (d.bind_address === "0.0.0.0" && !d.expose) {
      const message = 'publishes every MCP server on every network interface; set "expose": true to mean it, or bind to 127.0.0.1';
      ctx.addIssue({ code: "custom", path: ["bind_address"], message });
    }
  })
  .describe("Settings for every service");
export type Defaults = z.output<typeof DefaultsSchema>;

const RootFields = {
  $schema: z.string().optional().describe("Path or URL of this file's JSON Schema, for editors"),
  project: z
    .string()
    .regex(ID, "must be lower-case letters, digits and dashes")
    .default("mcps")
    .describe("Project name: labels, network names and what `mcps down` removes"),
  defaults: DefaultsSchema.default(() => DefaultsSchema.parse({})),
};

/** The whole file. Used for the JSON Schema export and type inference. */
export const ConfigSchema = z.strictObject({ ...RootFields, customers: z.array(CustomerSchema) }).describe("mcps: customers and their MCP servers");
/** @public The whole of mcp_servers.json, as parsed (STYLE.md: export the inferred types). */
export type Config = z.output<typeof ConfigSchema>;

/**
 * The root with customers left unparsed: the loader parses each customer on its own so that
 * one broken customer does not hide the problems of the others.
 */
export const RootShapeSchema = z.strictObject({ ...RootFields, customers: z.array(z.unknown()) });
