/** `mcps secrets template`: wiring only; the lines come from commands/secrets.ts. */
import type { Command } from "commander";
import { action, type Cli, jsonText } from "./cli-support.js";

export function registerSecretsCommands(program: Command, cli: Cli): void {
  const secrets = program.command("secrets").description("the Kubernetes Secrets the generated manifests reference");
  secrets
    .command("template")
    .description("print the kubectl lines that create each customer's Secret (variable names only, never values)")
    .argument("[customer...]", "customer ids or names (default: every customer)")
    .option("-c, --config <file>", "customer -> MCP servers mapping", "mcp_servers.json")
    .option("--catalog <dir>", "folder of MCP types (<dir>/<type>/mcp.yaml)", "mcps")
    .option("--json", "one JSON document on stdout")
    .action(
      action(cli, async (customers: string[], opts: { config: string; catalog: string; json?: boolean }) => {
        const { secretsTemplate } = await import("./commands/secrets.js");
        const r = await secretsTemplate({ config: opts.config, catalog: opts.catalog, customers });
        if (opts.json) return { stdout: jsonText({ secrets: r.secrets }), warnings: r.warnings };
        const lines = [
          "set -e",
          "# Export each variable first (or source your credentials file); the shell fills in the values,",
          "# and a line stops with an error when its variable is unset or empty. mcps never prints a value.",
          "# Each namespace is made first, so this runs before or after kubectl apply -k, and again to rotate a value.",
          ...r.secrets.flatMap((s) =>
            s.command ? [s.namespaceCommand!, s.command] : [`# ${s.customer}: no secrets needed (namespace ${s.namespace})`],
          ),
        ];
        return { stdout: `${lines.join("\n")}\n`, warnings: r.warnings };
      }),
    );
}
