/** Commander wiring of `mcps clients`: config files for MCP clients (editors, chat apps). */
import type { Command } from "commander";
import { action, type Cli } from "./cli-support.js";

export function registerClientsCommands(program: Command, cli: Cli): void {
  const clients = program.command("clients").description("config files that point MCP clients at the customers' servers");
  clients
    .command("export")
    .description("print (or write with --out) a client's config for the selected customers' servers; no customer: all")
    .argument("[customer...]", "customer ids or names")
    .option("--for <format>", "claude-desktop, vscode, cursor or librechat")
    .option("-c, --config <file>", "customer -> MCP servers mapping", "mcp_servers.json")
    .option("--catalog <dir>", "folder of MCP types (<dir>/<type>/mcp.yaml)", "mcps")
    .option("--compose <file>", "the generated compose file, read for the host ports it keeps", "docker-compose.mcps.yml")
    .option("-o, --out <file>", 'where to write ("-" or none: stdout)')
    .option("--via <route>", "direct (each server's own port) or gateway (one entry per customer at mcps serve's /mcp/<customer>)", "direct")
    .option("--gateway-url <url>", "where clients reach mcps serve, with --via gateway (default http://127.0.0.1:7070)")
    .action(
      action(
        cli,
        async (
          customers: string[],
          o: { for?: string; config: string; catalog: string; compose: string; out?: string; via: string; gatewayUrl?: string },
        ) => {
          const { clientsExport } = await import("./commands/clients.js");
          const r = await clientsExport({ ...o, format: o.for, customers });
          if (r.kind === "printed") return { stdout: r.text, warnings: r.warnings };
          const what = `${r.servers} server${r.servers === 1 ? "" : "s"} of ${r.customers} customer${r.customers === 1 ? "" : "s"}`;
          return { stdout: `Wrote ${r.out} (${what}; the client reads it as ${r.fileName})\n`, warnings: r.warnings };
        },
      ),
    );
}
